//! Demo data: realistic Chinese agencies, drafts and comments, for trying Minyi out.
//! Loaded by `minyi demo-data` and on first start when the database is empty.

use chrono::{DateTime, Duration, Utc};

use super::{
    auth::hash_password,
    markdown,
    store::{comments::NewComment, proposals::NewProposal, users::NewUser},
    Db,
};
use crate::domain::{
    campaign::Fingerprint,
    comment::Stance,
    proposal::{CommentWindow, PolicyDomain, ProposalKind},
    role::Role,
};

/// The password of every demo account (documented in the README; demo only).
pub const DEMO_PASSWORD: &str = "minyi-demo-2026";

const AGENCIES: &[(&str, &str, &str)] = &[
    ("fgw", "市发展和改革委员会", "Municipal Development and Reform Commission"),
    ("jyj", "市教育局", "Municipal Education Bureau"),
    ("wjw", "市卫生健康委员会", "Municipal Health Commission"),
    ("zjj", "市住房和城乡建设局", "Municipal Housing and Urban-Rural Development Bureau"),
    ("jtj", "市交通运输局", "Municipal Transport Bureau"),
    ("sthjj", "市生态环境局", "Municipal Ecology and Environment Bureau"),
    ("sfj", "市司法局", "Municipal Justice Bureau"),
];

/// The major decision on transport whose gates the demo shows half done.
const GATED_TITLE: &str = "中心城区交通拥堵综合治理方案（征求意见稿）";

struct DemoProposal {
    agency: &'static str,
    kind: ProposalKind,
    domains: &'static [PolicyDomain],
    title: &'static str,
    body: &'static str,
    /// Days from now the window opens (negative: already open) and lasts.
    opens_in_days: i64,
    lasts_days: i64,
    short_reason: Option<&'static str>,
}

const PROPOSALS: &[DemoProposal] = &[
    DemoProposal {
        agency: "fgw",
        kind: ProposalKind::PolicyAdjustment,
        domains: &[PolicyDomain::Pricing],
        title: "关于调整本市居民生活用水价格的方案（征求意见稿）",
        body: "# 第一章 总则\n\n第一条 为促进节约用水，保障供水企业正常运营，根据《中华人民共和国价格法》和《城镇供水价格管理办法》，结合本市实际，制定本方案。\n\n第二条 本方案适用于本市中心城区公共供水管网覆盖范围内的居民生活用水。\n\n# 第二章 价格标准\n\n第三条 居民生活用水实行阶梯水价，按年度用水量分为三级：\n\n- 第一阶梯：年用水量 180 立方米（含）以下，每立方米 3.45 元；\n- 第二阶梯：年用水量 180 至 260 立方米（含），每立方米 4.83 元；\n- 第三阶梯：年用水量 260 立方米以上，每立方米 10.35 元。\n\n第四条 家庭户籍人口超过 4 人的，每增加 1 人，各阶梯年用水量基数相应增加 45 立方米。\n\n第五条 城乡低保家庭、特困供养人员每户每月免收 5 立方米水费，由供水企业直接减免。\n\n# 第三章 附则\n\n第六条 本方案自 2027 年 3 月 1 日起施行。",
        opens_in_days: -5,
        lasts_days: 30,
        short_reason: None,
    },
    DemoProposal {
        agency: "jyj",
        kind: ProposalKind::MajorDecision,
        domains: &[PolicyDomain::Education, PolicyDomain::Fees],
        title: "市义务教育阶段课后服务管理办法（征求意见稿）",
        body: "第一条 为减轻学生过重作业负担和校外培训负担，满足家长接送需求，规范中小学课后服务，制定本办法。\n\n第二条 课后服务坚持学生自愿、家长申请、学校组织、政府支持的原则。\n\n第三条 课后服务时间原则上为每个工作日下午放学后至 17:30，有特殊需求的可延长至 18:30。\n\n第四条 课后服务费用按每生每学期不超过 600 元收取，家庭经济困难学生免收。\n\n第五条 学校不得利用课后服务时间讲授新课，不得组织学科类培训。",
        opens_in_days: -20,
        lasts_days: 35,
        short_reason: None,
    },
    DemoProposal {
        agency: "wjw",
        kind: ProposalKind::ReformPlan,
        domains: &[PolicyDomain::Health, PolicyDomain::SocialSecurity],
        title: "市紧密型城市医疗集团建设改革方案（征求意见稿）",
        body: "第一条 以市级三级医院为牵头单位，联合区级医院、社区卫生服务中心组建紧密型城市医疗集团。\n\n第二条 医疗集团内实行人员统一调配、医保资金统一打包、检查结果互认。\n\n第三条 居民在集团内转诊的，医保报销比例不因转诊降低，起付线连续计算。\n\n第四条 到 2028 年底，基层就诊率达到 65% 以上。",
        opens_in_days: -2,
        lasts_days: 12,
        short_reason: Some("国家医改试点评估时间节点要求于年底前报送方案，故征求意见期缩短为 12 日。"),
    },
    DemoProposal {
        agency: "zjj",
        kind: ProposalKind::Regulation,
        domains: &[PolicyDomain::AffordableHousing],
        title: "市保障性租赁住房管理办法（修订草案）",
        body: "第一条 保障性租赁住房主要解决符合条件的新市民、青年人等群体的住房困难问题。\n\n第二条 申请人在本市无自有住房，且在本市连续缴纳社会保险满 6 个月。\n\n第三条 保障性租赁住房租金不高于同地段同品质市场租赁住房租金的 90%。\n\n第四条 租赁合同期限不超过 3 年，期满仍符合条件的可以续租。",
        opens_in_days: 7,
        lasts_days: 30,
        short_reason: None,
    },
    DemoProposal {
        agency: "jtj",
        kind: ProposalKind::KeyProject,
        domains: &[PolicyDomain::Transport, PolicyDomain::LandAndDemolition],
        title: "地铁 9 号线二期工程线路及站点设置方案",
        body: "第一条 地铁 9 号线二期工程自城东枢纽站至科学城站，全长 18.6 公里，设车站 12 座。\n\n第二条 工程沿线涉及房屋征收约 3.2 万平方米，征收补偿按照《国有土地上房屋征收与补偿条例》执行。\n\n第三条 施工期间夜间（22:00 至次日 6:00）原则上不进行高噪声作业。",
        opens_in_days: -60,
        lasts_days: 30,
        short_reason: None,
    },
    DemoProposal {
        agency: "sthjj",
        kind: ProposalKind::EnvironmentalProject,
        domains: &[PolicyDomain::Environment],
        title: "城北生活垃圾焚烧发电厂扩建项目环境影响报告书（公示稿）",
        body: "第一条 扩建规模为新增日处理生活垃圾 1500 吨焚烧线两条。\n\n第二条 烟气排放执行欧盟 2010 标准，在线监测数据实时向社会公开。\n\n第三条 项目设置 300 米环境防护距离，范围内无居民住宅、学校、医院。",
        opens_in_days: -10,
        lasts_days: 30,
        short_reason: None,
    },
    DemoProposal {
        agency: "jtj",
        kind: ProposalKind::MajorDecision,
        domains: &[PolicyDomain::Transport],
        title: GATED_TITLE,
        body: "第一条 为缓解中心城区交通拥堵，提升公共交通分担率，制定本方案。\n\n第二条 中心城区工作日早晚高峰实行机动车尾号限行，新能源汽车除外。\n\n第三条 新增公交专用道 60 公里，优化 35 条公交线路。\n\n第四条 中心城区路内停车实行分时段差别化收费。",
        opens_in_days: -45,
        lasts_days: 30,
        short_reason: None,
    },
];

const CITIZENS: &[(&str, &str)] = &[
    ("zhang.wei@example.cn", "张伟"),
    ("li.na@example.cn", "李娜"),
    ("wang.fang@example.cn", "王芳"),
    ("liu.yang@example.cn", "刘洋"),
    ("chen.jing@example.cn", "陈静"),
    ("zhao.lei@example.cn", "赵磊"),
];

const COMMENTS: &[(Option<u32>, Stance, &str)] = &[
    (Some(3), Stance::Oppose, "第一阶梯 180 立方米对三口之家偏紧，建议提高到 216 立方米，与周边城市保持一致。"),
    (Some(5), Stance::Support, "低保家庭免收 5 立方米的做法很好，建议把重度残疾人家庭也纳入减免范围。"),
    (None, Stance::Suggestion, "希望公布供水企业近三年的成本监审报告，让市民了解调价依据。"),
    (Some(4), Stance::Suggestion, "人口多的家庭如何申请增加基数？建议在政务服务平台上可以直接办理，不要让居民来回跑。"),
    (None, Stance::Support, "阶梯水价有利于节约用水，支持。"),
    (Some(2), Stance::Suggestion, "城郊结合部还有不少自备井供水的小区，是否适用本方案？请明确。"),
];

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("cannot hash the demo password: {0}")]
    Hash(String),
    #[error("cannot create a demo account: {0}")]
    User(#[from] super::store::users::CreateUserError),
    #[error("a demo action was refused: {0}")]
    Service(String),
}

/// Whether demo accounts still sign in with the published [`DEMO_PASSWORD`] (the server
/// warns at every start while they do).
pub async fn published_password_in_use(db: &Db) -> Result<bool, sqlx::Error> {
    for email in [CITIZENS[0].0, "moderator@example.cn"] {
        if let Some(user) = db.user_by_email(email).await? {
            if super::auth::verify_password(DEMO_PASSWORD.to_owned(), Some(user.password_hash)).await {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// True when no proposal exists yet (a fresh database).
pub async fn is_empty(db: &Db) -> Result<bool, sqlx::Error> {
    let count: i64 = crate::on_db!(db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM proposals").fetch_one(pool).await)?;
    Ok(count == 0)
}

/// Loads the demo set. Accounts are `official.<agency>@example.cn`, the citizens
/// above, `moderator@example.cn` and `reviewer@example.cn` (of the justice bureau), all
/// with `DEMO_PASSWORD`.
/// The demo data set. With a file store, the hearings that took place get their
/// materials (a small PDF) and so their record and report too.
pub async fn load(db: &Db, now: DateTime<Utc>, files: Option<&super::files::FileStore>) -> Result<(), DemoError> {
    let hash = hash_password(DEMO_PASSWORD.to_owned()).await.map_err(|e| DemoError::Hash(e.to_string()))?;
    let mut officials = Vec::new();
    for (slug, zh, en) in AGENCIES {
        let agency_id = db.ensure_agency(slug, zh, en).await?;
        let email = format!("official.{slug}@example.cn");
        let user_id = match db.user_by_email(&email).await? {
            Some(user) => user.id,
            None => {
                db.create_user(
                    NewUser {
                        email: &email,
                        password_hash: &hash,
                        display_name: &format!("{zh}工作人员"),
                        roles: &[Role::Citizen, Role::Official],
                        agency_id: Some(agency_id),
                    },
                    now,
                )
                .await?
            }
        };
        officials.push((*slug, agency_id, user_id));
    }
    let mut citizens = Vec::new();
    for (email, name) in CITIZENS {
        let id = match db.user_by_email(email).await? {
            Some(user) => user.id,
            None => {
                db.create_user(NewUser { email, password_hash: &hash, display_name: name, roles: &[Role::Citizen], agency_id: None }, now)
                    .await?
            }
        };
        citizens.push(id);
    }
    if db.user_by_email("reviewer@example.cn").await?.is_none() {
        let justice = officials.iter().find(|(slug, _, _)| *slug == "sfj").map(|(_, agency, _)| *agency);
        db.create_user(
            NewUser {
                email: "reviewer@example.cn",
                password_hash: &hash,
                display_name: "合法性审查员",
                roles: &[Role::Citizen, Role::Reviewer],
                agency_id: justice,
            },
            now,
        )
        .await?;
    }
    if db.user_by_email("moderator@example.cn").await?.is_none() {
        db.create_user(
            NewUser {
                email: "moderator@example.cn",
                password_hash: &hash,
                display_name: "内容管理员",
                roles: &[Role::Citizen, Role::Moderator],
                agency_id: None,
            },
            now,
        )
        .await?;
    }

    for (index, p) in PROPOSALS.iter().enumerate() {
        let (_, agency_id, official_id) = officials.iter().find(|(slug, _, _)| *slug == p.agency).copied().expect("demo agency");
        let opens_at = now + Duration::days(p.opens_in_days);
        let window =
            CommentWindow { opens_at, closes_at: opens_at + Duration::days(p.lasts_days), short_reason: p.short_reason.map(str::to_owned) };
        // created before the window opened, as a real draft would be
        let published = opens_at.min(now) - Duration::hours(2);
        let proposal_id = db
            .create_proposal(
                &NewProposal {
                    agency_id,
                    kind: p.kind,
                    title: p.title.to_owned(),
                    domains: p.domains.to_vec(),
                    body_md: p.body.to_owned(),
                    clauses: markdown::render_clauses(p.body).expect("the demo texts render"),
                    window,
                    created_by: official_id,
                    draft: false,
                },
                published,
            )
            .await?;
        if p.opens_in_days > 0 {
            continue;
        }
        if index == 0 {
            load_campaign(db, proposal_id, &citizens, opens_at).await?;
        }
        let target = db.comment_target(proposal_id).await?.expect("just created");
        let comment_count = if index == 0 { COMMENTS.len() } else { 2 };
        for (i, (clause, stance, body)) in COMMENTS.iter().take(comment_count).enumerate() {
            let clause = clause.filter(|c| (*c as i64) <= target.clause_count);
            db.add_comment(
                &NewComment {
                    fingerprint: Fingerprint::of(body),
                    proposal_id,
                    version_id: target.version_id,
                    clause_number: clause,
                    author_id: citizens[i % citizens.len()],
                    stance: *stance,
                    body,
                    body_html: &markdown::plain_to_html(body),
                },
                opens_at + Duration::hours(3 + i as i64 * 5),
            )
            .await?;
        }
        if p.title == GATED_TITLE {
            let official = officials.iter().find(|(slug, _, _)| *slug == p.agency).map(|(_, _, id)| *id).expect("demo official");
            load_gates(db, now, proposal_id, official).await?;
        }
    }
    let fgw = officials.iter().find(|(slug, _, _)| *slug == "fgw").copied().expect("demo agency");
    load_hearings(db, now, &hash, fgw, files).await?;
    load_penalties(db, now, &hash, &officials).await?;
    Ok(())
}

/// The demo reviewer pool: `pingyi1..20@example.cn`, approved 90 days ago for two years,
/// and `pingyi21@example.cn` waiting for an admin's approval.
pub const DEMO_POOL: u32 = 20;

const SURNAMES: &[&str] =
    &["周", "吴", "郑", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "梁", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭"];

/// One demo case: agency, number, district, party, other names, facts, basis,
/// discretion, penalty and amount.
struct DemoCase {
    agency: &'static str,
    number: &'static str,
    district: &'static str,
    party: &'static str,
    names: &'static [&'static str],
    facts: &'static str,
    basis: &'static str,
    discretion: &'static str,
    kind: crate::domain::penalty::PenaltyKind,
    amount: Option<i64>,
}

const CASES: &[DemoCase] = &[
    DemoCase {
        agency: "sthjj",
        number: "市环罚〔2026〕21号",
        district: "经开区",
        party: "合肥恒通化工有限公司",
        names: &["刘建设"],
        facts: "2026年5月12日，执法人员对合肥恒通化工有限公司位于经开区芙蓉路168号的厂区进行检查，在线监测数据显示其废气排放口非甲烷总烃浓度超过排放标准2.3倍。\n该公司环保负责人刘建设（联系电话139 5601 2288）在现场确认了监测数据。",
        basis: "《中华人民共和国大气污染防治法》第九十九条第（二）项。",
        discretion: "《安徽省生态环境行政处罚裁量基准》：超标排放大气污染物，超标倍数在2倍以上3倍以下的，处五十万元以上七十万元以下罚款；积极整改的可以从轻。",
        kind: crate::domain::penalty::PenaltyKind::Fine,
        amount: Some(600_000),
    },
    DemoCase {
        agency: "jtj",
        number: "市交罚〔2026〕87号",
        district: "蜀山区",
        party: "陈小东",
        names: &[],
        facts: "2026年6月3日，执法人员在蜀山区长江西路与潜山路交口查获陈小东（身份证号34010419851203221X）驾驶皖A·8K3J2小型轿车，未取得网络预约出租汽车运输证，通过网络平台招揽乘客从事经营活动。",
        basis: "《网络预约出租汽车经营服务管理暂行办法》第三十四条。",
        discretion: "《市交通运输行政处罚裁量基准》：首次违法、违法所得较少的，处一万元以上二万元以下罚款。",
        kind: crate::domain::penalty::PenaltyKind::Fine,
        amount: Some(15_000),
    },
    DemoCase {
        agency: "zjj",
        number: "市建罚〔2026〕33号",
        district: "包河区",
        party: "安徽鑫城建设工程有限公司",
        names: &["赵国平"],
        facts: "2026年8月20日22时30分，执法人员接群众举报后到包河区徽州大道1288号在建项目工地检查，发现安徽鑫城建设工程有限公司在夜间进行混凝土浇筑作业，未取得夜间施工许可。项目经理赵国平（手机+86 137-0551-6600）在场。",
        basis: "《中华人民共和国噪声污染防治法》第七十七条。",
        discretion: "《市住房城乡建设行政处罚裁量基准》：未经批准夜间施工，首次发现的，处一万元以上五万元以下罚款。",
        kind: crate::domain::penalty::PenaltyKind::Fine,
        amount: Some(50_000),
    },
    DemoCase {
        agency: "jtj",
        number: "市交罚〔2026〕52号",
        district: "庐阳区",
        party: "合肥顺达货运有限公司",
        names: &["孙立强"],
        facts: "2026年4月9日，执法人员在庐阳区北二环路检查，发现合肥顺达货运有限公司的皖A·D6688号货车由驾驶员孙立强驾驶，车货总重超过限定标准32%。",
        basis: "《公路安全保护条例》第六十六条。",
        discretion: "《市交通运输行政处罚裁量基准》：超限30%以上50%以下的，处三千元以上一万元以下罚款。",
        kind: crate::domain::penalty::PenaltyKind::Fine,
        amount: Some(8_000),
    },
    DemoCase {
        agency: "sthjj",
        number: "市环罚〔2026〕40号",
        district: "瑶海区",
        party: "合肥美佳洗涤服务部",
        names: &["黄美佳"],
        facts: "2026年9月2日，执法人员检查发现合肥美佳洗涤服务部将未经处理的洗涤废水经雨水管网排放，经营者黄美佳现场未能提供排水许可。",
        basis: "《城镇排水与污水处理条例》第五十条。",
        discretion: "《安徽省生态环境行政处罚裁量基准》：个体经营者首次违法、及时改正的，可以处警告。",
        kind: crate::domain::penalty::PenaltyKind::Warning,
        amount: None,
    },
    DemoCase {
        agency: "zjj",
        number: "市建罚〔2026〕41号",
        district: "政务区",
        party: "合肥安居物业服务有限公司",
        names: &[],
        facts: "2026年9月15日，执法人员检查发现合肥安居物业服务有限公司未按规定公示物业服务收费标准。",
        basis: "《物业管理条例》第五十九条。",
        discretion: "《市住房城乡建设行政处罚裁量基准》：未公示收费标准的，责令限期改正，可处一万元以下罚款。",
        kind: crate::domain::penalty::PenaltyKind::Fine,
        amount: Some(5_000),
    },
];

/// Penalty cases in every state: replied (partly, and adopted), concluded with the reply
/// overdue, under review (three of five opinions given), published and waiting for its
/// panel, a draft whose masking the official has not confirmed, and a withdrawn one.
async fn load_penalties(db: &Db, now: DateTime<Utc>, hash: &str, officials: &[(&str, i64, i64)]) -> Result<(), DemoError> {
    use super::service::{self, penalties::CaseInput, Actor};
    use crate::domain::penalty::{Opinion, PenaltyKind, ReplyKind, SeatState};
    let refused = |e: service::ServiceError| DemoError::Service(e.to_string());
    let mut pool = Vec::new();
    for i in 1..=DEMO_POOL + 1 {
        let email = format!("pingyi{i}@example.cn");
        let name = format!("{}评议员", SURNAMES[(i as usize - 1) % SURNAMES.len()]);
        let id = match db.user_by_email(&email).await? {
            Some(user) => user.id,
            None => {
                db.create_user(
                    NewUser { email: &email, password_hash: hash, display_name: &name, roles: &[Role::Citizen], agency_id: None },
                    now,
                )
                .await?
            }
        };
        let viewer = db.viewer(id).await?.expect("the demo reviewer exists");
        let joined = now - Duration::days(90);
        let member =
            service::penalties::volunteer(db, &Actor { viewer: &viewer, now: joined }, "愿意以普通市民的身份参与行政处罚案件评议。", &[])
                .await
                .map_err(refused)?;
        if i <= DEMO_POOL {
            service::penalties::approve_by_operator(db, joined, member, 2).await.map_err(refused)?;
        }
        pool.push(viewer);
    }
    let official = |slug: &str| officials.iter().find(|(s, _, _)| *s == slug).map(|(_, _, id)| *id).expect("demo agency");
    let mut ids = Vec::new();
    for (i, c) in CASES.iter().enumerate() {
        let viewer = db.viewer(official(c.agency)).await?.expect("the demo official exists");
        // the older cases were submitted earlier
        let submitted = now - Duration::days([70, 50, 6, 65, 2, 20][i]);
        let by = |days: i64| Actor { viewer: &viewer, now: submitted + Duration::days(days) };
        let input = CaseInput {
            case_number: c.number.into(),
            district: c.district.into(),
            party_name: c.party.into(),
            listed_names: c.names.iter().map(|n| (*n).to_owned()).collect(),
            texts: [c.facts.into(), c.basis.into(), c.discretion.into()],
            penalty_kind: c.kind,
            amount: c.amount,
            panel_size: 7,
        };
        let id = service::penalties::submit(db, &by(0), input).await.map_err(refused)?;
        ids.push(id);
        if i == 4 {
            continue; // the draft: the official has yet to confirm the masking
        }
        let d = db.penalty_detail(id, None, now).await?;
        let masked = match db
            .penalty_detail(
                id,
                Some(super::store::penalties::CaseReader { user: viewer.id, official_of: viewer.agency_id, admin: false }),
                now,
            )
            .await?
        {
            Some(d) => [d.facts, d.basis, d.discretion],
            None => return Err(DemoError::Service(format!("case {id} unreadable {d:?}"))),
        };
        service::penalties::confirm_masking(db, &by(0), id, masked, c.number).await.map_err(refused)?;
        match i {
            5 => {
                service::penalties::withdraw(db, &by(2), id, "当事人已在限期内改正并公示收费标准，本案撤回。").await.map_err(refused)?;
                continue;
            }
            3 => continue, // published, waiting for its panel
            _ => {}
        }
        let size = if i == 2 { 5 } else { 7 };
        service::penalties::draw_panel(db, &by(1), id, size, 10).await.map_err(refused)?;
        let mut tx = db.begin_read().await?;
        let seats = super::store::penalties::seats(&mut tx, id).await?;
        drop(tx);
        let sitting: Vec<i64> = seats.iter().filter(|s| s.state == SeatState::Invited).map(|s| s.user_id).collect();
        let opinions: &[(Opinion, Option<i64>, &str)] = match i {
            0 => &[
                (Opinion::Lighter, Some(500_000), "企业已完成治理设施改造，且系首次超标，建议在裁量幅度内从轻。"),
                (Opinion::Agree, None, "超标倍数明确，拟处罚金额在基准范围内。"),
                (Opinion::Lighter, Some(520_000), "整改积极，可适当从轻。"),
                (Opinion::Agree, None, "同意拟处罚意见。"),
                (Opinion::Lighter, Some(500_000), "首次违法，整改到位，建议从轻。"),
                (Opinion::Heavier, Some(700_000), "化工企业排放对周边居民影响大，应从重。"),
                (Opinion::Lighter, Some(550_000), "可从轻，但须加强在线监测。"),
            ],
            1 => &[
                (Opinion::Agree, None, "事实清楚，证据充分。"),
                (Opinion::Lighter, Some(10_000), "首次违法，违法所得较少。"),
                (Opinion::Agree, None, "同意。"),
                (Opinion::Agree, None, "处罚在裁量基准范围内。"),
                (Opinion::NoPenalty, None, "当事人称仅为顺路搭载，建议核实后再处理。"),
                (Opinion::Agree, None, "同意拟处罚意见。"),
                (Opinion::Agree, None, "同意。"),
            ],
            _ => &[
                (Opinion::Agree, None, "夜间施工严重影响周边居民休息，同意拟处罚。"),
                (Opinion::Heavier, Some(60_000), "群众多次投诉，建议从重。"),
                (Opinion::Agree, None, "同意。"),
            ],
        };
        for (user, (opinion, amount, reasons)) in sitting.iter().zip(opinions.iter()) {
            let Some(panelist) = pool.iter().find(|v| v.id == *user) else { continue };
            service::penalties::give_opinion(
                db,
                &Actor { viewer: panelist, now: submitted + Duration::days(3) },
                id,
                *opinion,
                reasons,
                *amount,
            )
            .await
            .map_err(refused)?;
        }
        if i == 2 {
            continue; // under review: three of five opinions so far
        }
        service::penalties::close_review(db, &by(12), id).await.map_err(refused)?;
        if i == 0 {
            service::penalties::reply(
                db,
                &by(20),
                id,
                ReplyKind::Partly,
                "采纳从轻的意见，考虑到企业已完成整改；未采纳从重的意见。最终处罚款五十五万元，并责令加强在线监测。",
                PenaltyKind::Fine,
                Some(550_000),
            )
            .await
            .map_err(refused)?;
        }
        // case 1 stays concluded: its reply is overdue
    }
    Ok(())
}

/// Pricing and fee proposals of the development and reform commission with a hearing in
/// each state: scheduled (the organizer's only), call open (citizens can apply), drawn
/// (40 applicants, the draw published), cancelled, and — with a file store for the
/// materials — lists published, held (the record awaiting confirmation) and reported
/// (the hearing gate met). The organizer, three hearing officers, 40 applicants.
async fn load_hearings(
    db: &Db,
    now: DateTime<Utc>,
    hash: &str,
    (_, agency_id, official_id): (&str, i64, i64),
    files: Option<&super::files::FileStore>,
) -> Result<(), DemoError> {
    use super::service::{self, hearings::ScheduleInput, Actor};
    use crate::domain::hearing::{Constituency, Schedule, Seats};
    let refused = |e: service::ServiceError| DemoError::Service(e.to_string());
    let account = |email: &'static str, name: &'static str, roles: &'static [Role]| async move {
        match db.user_by_email(email).await? {
            Some(user) => Ok::<i64, DemoError>(user.id),
            None => Ok(db.create_user(NewUser { email, password_hash: hash, display_name: name, roles, agency_id: None }, now).await?),
        }
    };
    let organizer = account("organizer@example.cn", "听证组织者", &[Role::Citizen, Role::Organizer]).await?;
    account("officer1@example.cn", "王律师（听证人）", &[Role::Citizen]).await?;
    account("officer2@example.cn", "李教授（听证人）", &[Role::Citizen]).await?;
    account("officer3@example.cn", "赵代表（听证人）", &[Role::Citizen]).await?;
    let officers: Vec<String> = (1..=3).map(|i| format!("officer{i}@example.cn")).collect();
    let organizer = db.viewer(organizer).await?.expect("the demo organizer exists");
    let at = |days: i64| Actor { viewer: &organizer, now: now + Duration::days(days) };
    let mut hearings: Vec<(&str, &[PolicyDomain], i64, &str)> = vec![
        ("公立医院医疗服务价格调整方案（征求意见稿）", &[PolicyDomain::Pricing, PolicyDomain::Health], 45, "call_open"),
        ("中小学课后服务收费标准（征求意见稿）", &[PolicyDomain::Fees, PolicyDomain::Education], 25, "drawn"),
        ("城市道路停车收费标准调整方案（征求意见稿）", &[PolicyDomain::Fees], 60, "scheduled"),
        ("管道天然气销售价格调整方案（征求意见稿）", &[PolicyDomain::Pricing], 40, "cancelled"),
    ];
    if files.is_some() {
        hearings.extend([
            ("城市公共交通票价调整方案（征求意见稿）", &[PolicyDomain::Pricing, PolicyDomain::Transport][..], 18, "lists_published"),
            ("保障性租赁住房租金标准（征求意见稿）", &[PolicyDomain::AffordableHousing, PolicyDomain::Pricing][..], -1, "held"),
            ("养老机构收费管理办法（征求意见稿）", &[PolicyDomain::Fees, PolicyDomain::SocialSecurity][..], -8, "reported"),
        ]);
    }
    let body = "第一条 为规范价格行为，制定本方案。\n\n第二条 调整后的价格自公布之日起执行。\n\n第三条 对低收入家庭给予补贴。";
    for (i, (title, domains, in_days, state)) in hearings.into_iter().enumerate() {
        let opens_at = now - Duration::days(60);
        let proposal_id = db
            .create_proposal(
                &NewProposal {
                    agency_id,
                    kind: ProposalKind::PolicyAdjustment,
                    title: title.to_owned(),
                    domains: domains.to_vec(),
                    body_md: body.to_owned(),
                    clauses: markdown::render_clauses(body).expect("the demo texts render"),
                    window: CommentWindow { opens_at, closes_at: opens_at + Duration::days(30), short_reason: None },
                    created_by: official_id,
                    draft: false,
                },
                opens_at - Duration::hours(2),
            )
            .await?;
        // scheduled and announced in time for every deadline: 6 days ago, or 35 days before
        // a hearing that is nearer or past
        let scheduled = (in_days - 35).min(-6);
        // at 09:00 or 14:30 in the city, as hearings are held
        let day = crate::domain::time::local_day(now + Duration::days(in_days));
        let starts_at = crate::domain::time::local_day_start(day) + Duration::minutes(if i % 2 == 0 { 9 * 60 } else { 14 * 60 + 30 });
        let apply_until = if matches!(state, "call_open" | "scheduled" | "cancelled") {
            starts_at - Duration::days(20)
        } else {
            // closed: by the lists' deadline, and before today
            (starts_at - Duration::days(16)).min(now - Duration::days(1))
        };
        let input = ScheduleInput {
            proposal_id,
            venue: format!("市政务服务中心 {} 号听证室", i + 1),
            // the drawn one's applications closed yesterday
            schedule: Schedule { starts_at, ends_at: starts_at + Duration::hours(3), apply_until },
            seats: Seats { participants: 15, observers: 20, press: 5 },
            plan_summary: format!("{title}：拟调整收费标准，平均调幅约 8%，对低保家庭全额补贴。"),
            officers: officers.clone(),
            reason: Some("社会关注度高，组织者决定听证".into()).filter(|_| !crate::domain::proposal::hearing_required(domains)),
        };
        let hearing = service::hearings::schedule(db, &at(scheduled), input).await.map_err(refused)?;
        if state == "scheduled" {
            continue;
        }
        service::hearings::publish_call(db, &at(scheduled), hearing).await.map_err(refused)?;
        if state == "cancelled" {
            service::hearings::cancel(db, &at(0), hearing, "价格成本监审尚未完成，听证会另行安排").await.map_err(refused)?;
            continue;
        }
        {
            for n in 0..40 {
                let email = format!("applicant{n}@example.cn");
                let id = match db.user_by_email(&email).await? {
                    Some(user) => user.id,
                    None => {
                        let name = format!("报名市民{:02}", n + 1);
                        db.create_user(
                            NewUser { email: &email, password_hash: hash, display_name: &name, roles: &[Role::Citizen], agency_id: None },
                            now,
                        )
                        .await?
                    }
                };
                let v = db.viewer(id).await?.expect("just created");
                let c = [Constituency::Consumer, Constituency::Operator, Constituency::Expert, Constituency::Other][n % 4];
                let applied = Actor { viewer: &v, now: now + Duration::days(scheduled) + Duration::hours(n as i64 + 1) };
                service::hearings::apply(db, &applied, hearing, c, n % 9 == 4, "作为学生家长，希望说明收费对家庭的影响。")
                    .await
                    .map_err(refused)?;
            }
        }
        if state == "call_open" {
            continue;
        }
        // the draw, the lists and the materials as soon as applications closed
        let closed = Actor { viewer: &organizer, now: apply_until };
        service::hearings::run_draw(db, &closed, hearing).await.map_err(refused)?;
        if state == "drawn" {
            continue;
        }
        let Some(files) = files else { continue };
        service::hearings::publish_lists(db, &closed, hearing).await.map_err(refused)?;
        let pdf = crate::domain::attachment::samples::pdf("");
        let body = futures::stream::once(async move { Ok::<_, std::convert::Infallible>(bytes::Bytes::from(pdf)) });
        let name = "听证方案及定价成本监审报告.pdf";
        let stored = files
            .put_checked(body, 1 << 20, name, apply_until)
            .await
            .map_err(|e| DemoError::Service(format!("storing the demo materials: {e}")))?;
        let row = service::gates::StoredFileRow {
            object_key: stored.key.clone(),
            original_name: stored.original_name.clone(),
            content_type: stored.kind.as_str().to_owned(),
            size: stored.size,
            sha256: stored.sha256.clone(),
        };
        service::gates::attach_file(db, &closed, service::gates::FileOwner::Hearing(hearing), &row).await.map_err(refused)?;
        service::hearings::send_materials(db, &closed, hearing, None).await.map_err(refused)?;
        service::hearings::set_agenda(
            db,
            &closed,
            hearing,
            "一、主持人宣布听证纪律；二、起草机关说明方案；三、参加人按抽签顺序发言，每人 5 分钟；四、听证人提问。",
        )
        .await
        .map_err(refused)?;
        if state == "lists_published" {
            continue;
        }
        service::hearings::write_record(db, &Actor { viewer: &organizer, now: starts_at + Duration::hours(4) }, hearing, "听证会于预定时间召开，15 名参加人中 14 人出席并按抽签顺序发言。多数消费者代表同意调整方案，建议提高低收入家庭补贴；经营者代表说明了成本构成。")
            .await
            .map_err(refused)?;
        if state == "held" {
            continue;
        }
        let report = crate::model::HearingReport {
            summary: "参加人普遍认可调整的必要性，多数意见建议分步实施并加大对低收入老人的补贴。".into(),
            consumer: "消费者代表认为调幅偏高，建议分两年实施。".into(),
            operator: "机构代表说明人力成本上涨情况，支持调整。".into(),
            expert: "专家建议建立收费标准动态调整机制。".into(),
            other: String::new(),
            published_at: starts_at + Duration::days(3),
        };
        service::hearings::publish_report(db, &Actor { viewer: &organizer, now: starts_at + Duration::days(3) }, hearing, &report)
            .await
            .map_err(refused)?;
    }
    Ok(())
}

/// `count` applicants for a hearing whose call is open: new citizen accounts (password
/// `DEMO_PASSWORD`) in a realistic mix of constituencies, `low_income_percent` of them
/// low-income, each applying through the service at `now`. For demos and the browser
/// journeys; returns how many applied.
pub async fn load_applicants(db: &Db, hearing: i64, count: u32, low_income_percent: u32, now: DateTime<Utc>) -> Result<u32, DemoError> {
    use super::service::{self, Actor};
    use crate::domain::hearing::Constituency;
    let hash = match db.user_by_email("applicant0@example.cn").await? {
        Some(user) => user.password_hash,
        None => hash_password(DEMO_PASSWORD.to_owned()).await.map_err(|e| DemoError::Hash(e.to_string()))?,
    };
    let mut applied = 0;
    for n in 0..count {
        let email = format!("hearing{hearing}.applicant{n}@example.cn");
        let id = match db.user_by_email(&email).await? {
            Some(user) => user.id,
            None => {
                let name = format!("报名市民{hearing}-{:03}", n + 1);
                db.create_user(
                    NewUser { email: &email, password_hash: &hash, display_name: &name, roles: &[Role::Citizen], agency_id: None },
                    now,
                )
                .await?
            }
        };
        let viewer = db.viewer(id).await?.expect("just created");
        // four in ten consumers, as a price hearing's applicants often are
        let constituency =
            [Constituency::Consumer, Constituency::Operator, Constituency::Consumer, Constituency::Expert, Constituency::Other]
                [n as usize % 5];
        let low_income = (n * 37 % 100) < low_income_percent;
        match service::hearings::apply(
            db,
            &Actor { viewer: &viewer, now },
            hearing,
            constituency,
            low_income,
            "希望就方案对家庭支出的影响发言。",
        )
        .await
        {
            Ok(_) => applied += 1,
            Err(service::ServiceError::Refused(_)) => {}
            Err(error) => return Err(DemoError::Service(error.to_string())),
        }
    }
    Ok(applied)
}

/// The evidence half done: the transport decision has its feedback report and a legality
/// review requested 12 days ago (the review office may answer), but no stability risk
/// assessment; the metro project's assessment says high risk, so it is halted.
async fn load_gates(db: &Db, now: DateTime<Utc>, proposal_id: i64, official: i64) -> Result<(), DemoError> {
    use super::service::{self, Actor};
    use crate::domain::{
        feedback::{Decision, FeedbackItem, FeedbackTarget},
        gate::GateSubject,
        project::ProjectKind,
        review::{AssessmentMethod, RiskLevel},
    };
    let viewer = db.viewer(official).await?.expect("the demo official exists");
    let at = |days: i64| Actor { viewer: &viewer, now: now - Duration::days(days) };
    let items = [
        FeedbackItem {
            target: FeedbackTarget::Clause(2),
            decision: Decision::PartlyAdopted,
            reason: "限行时段由全天调整为早晚高峰。".into(),
        },
        FeedbackItem {
            target: FeedbackTarget::Clause(4),
            decision: Decision::Adopted,
            reason: "夜间路内停车免费时段延长至早 8 点。".into(),
        },
    ];
    let refused = |e: service::ServiceError| DemoError::Service(e.to_string());
    service::proposals::publish_feedback(db, &at(14), proposal_id, "共收到意见 2 条，采纳及部分采纳 2 条。", &items)
        .await
        .map_err(refused)?;
    service::gates::request_legality(db, &at(12), GateSubject::Proposal(proposal_id), "方案草案、起草说明、公众意见采纳情况")
        .await
        .map_err(refused)?;
    let project = service::projects::register(
        db,
        &at(20),
        ProjectKind::KeyProject,
        "地铁 9 号线二期工程",
        "自城东枢纽站至科学城站，全长 18.6 公里，设车站 12 座；沿线涉及房屋征收约 3.2 万平方米。",
    )
    .await
    .map_err(refused)?;
    let assessment = service::gates::AssessmentInput {
        level: RiskLevel::High,
        method: AssessmentMethod::Survey,
        risk_points: "沿线 3 个小区居民对征收补偿标准意见较大；施工噪声影响 2 所学校。".into(),
        prevention: "公开补偿标准与评估报告；学校周边夜间禁止施工。".into(),
        response_plan: "设立征收矛盾调处工作组，24 小时值班。".into(),
    };
    service::gates::submit_assessment(db, &at(10), GateSubject::Project(project), assessment).await.map_err(refused)?;
    Ok(())
}

/// A form-letter campaign on the water-price draft: the same letter, some with a few
/// words changed, as mass campaigns look.
const FORM_LETTER: &str = "我坚决反对本次居民生活用水价格上调方案。第一阶梯水量过低，三口之家每年用水普遍超过180立方米，调价将明显增加普通家庭负担。请求市发改委重新核定供水成本，公开成本监审报告，并在听证会上充分听取市民意见。";

async fn load_campaign(db: &Db, proposal_id: i64, citizens: &[i64], opens_at: DateTime<Utc>) -> Result<(), DemoError> {
    let target = db.comment_target(proposal_id).await?.expect("just created");
    for i in 0..24usize {
        let letter = match i % 4 {
            0 | 1 => FORM_LETTER.to_owned(),
            2 => FORM_LETTER.replace("坚决", "强烈").replace("三口之家", "我们家"),
            _ => format!("{FORM_LETTER}谢谢！"),
        };
        db.add_comment(
            &NewComment {
                fingerprint: Fingerprint::of(&letter),
                proposal_id,
                version_id: target.version_id,
                clause_number: Some(3),
                author_id: citizens[i % citizens.len()],
                stance: Stance::Oppose,
                body: &letter,
                body_html: &markdown::plain_to_html(&letter),
            },
            opens_at + Duration::hours(1) + Duration::minutes(i as i64 * 7),
        )
        .await?;
    }
    Ok(())
}

/// What `load_scale` wrote.
#[derive(Debug, Default)]
pub struct ScaleReport {
    pub proposals_created: u64,
    pub users_created: u64,
    pub comments_inserted: u64,
    pub big_proposal_id: i64,
    pub big_proposal_comments: i64,
    pub seconds: f64,
}

/// Accounts that author the generated comments: `citizen<i>@bench.example.cn`, password
/// `DEMO_PASSWORD`, role citizen.
pub const SCALE_USERS: u64 = 2_000;
/// Rows per multi-row INSERT (8 parameters a row: well under both databases' limits).
const ROWS_PER_STATEMENT: usize = 1_000;
/// Rows per transaction.
const ROWS_PER_TX: usize = 50_000;

/// Fills the database with realistic volume for benchmarks: the demo set (loaded if the
/// database is empty), `SCALE_USERS` citizen accounts, `proposals` more proposals (drafts
/// from the demo set under numbered titles, windows spread over past, open and upcoming,
/// each open or closed one with a few comments), and `big_comments` comments on the first
/// proposal (the open water-price draft). Rows go in with multi-row INSERTs, 50,000 rows
/// per transaction; `proposals.comment_count` is set from the rows at the end, so it
/// matches them exactly.
pub async fn load_scale(db: &Db, now: DateTime<Utc>, proposals: u64, big_comments: u64) -> Result<ScaleReport, DemoError> {
    let started = std::time::Instant::now();
    let mut report = ScaleReport::default();
    if is_empty(db).await? {
        load(db, now, None).await?;
    }
    let hash = match db.user_by_email(CITIZENS[0].0).await? {
        Some(user) => user.password_hash,
        None => hash_password(DEMO_PASSWORD.to_owned()).await.map_err(|e| DemoError::Hash(e.to_string()))?,
    };

    // authors
    let have: i64 = crate::on_db!(db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email LIKE '%@bench.example.cn'")
        .fetch_one(pool)
        .await)?;
    if have == 0 {
        crate::in_tx!(db, |tx| {
            for chunk in (0..SCALE_USERS).collect::<Vec<_>>().chunks(500) {
                // generated like the demo's accounts, so counted as verified: they may comment
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO users (email, password_hash, display_name, agency_id, created_at, email_verified_at) ",
                );
                q.push_values(chunk, |mut b, i| {
                    b.push_bind(format!("citizen{i}@bench.example.cn"))
                        .push_bind(hash.as_str())
                        .push_bind(bench_name(*i))
                        .push_bind(None::<i64>)
                        .push_bind(now)
                        .push_bind(now);
                });
                q.build().execute(&mut *tx).await?;
            }
            sqlx::query(
                "INSERT INTO user_roles (user_id, role, granted_at) \
                 SELECT id, 'citizen', created_at FROM users WHERE email LIKE '%@bench.example.cn'",
            )
            .execute(&mut *tx)
            .await?;
        });
        report.users_created = SCALE_USERS;
    }
    let authors: Vec<i64> =
        crate::on_db!(db, |pool| sqlx::query_scalar("SELECT id FROM users WHERE email LIKE '%@bench.example.cn' ORDER BY id")
            .fetch_all(pool)
            .await)?;

    // proposals
    let agencies: Vec<(i64, String)> =
        crate::on_db!(db, |pool| sqlx::query_as("SELECT id, slug FROM agencies ORDER BY id").fetch_all(pool).await)?;
    let mut small_batches: Vec<CommentRowOut> = Vec::new();
    for i in 0..proposals {
        let p = &PROPOSALS[(i as usize) % PROPOSALS.len()];
        let agency_id = agencies.iter().find(|(_, slug)| slug == p.agency).map(|(id, _)| *id).unwrap_or(agencies[0].0);
        let official = db.user_by_email(&format!("official.{}@example.cn", p.agency)).await?.map(|u| u.id).unwrap_or(authors[0]);
        // windows from about a year ago to two months ahead
        let opens_at = now - Duration::days(365) + Duration::hours((i as i64 * 7919) % (425 * 24));
        let window = CommentWindow { opens_at, closes_at: opens_at + Duration::days(30), short_reason: None };
        let id = db
            .create_proposal(
                &NewProposal {
                    agency_id,
                    kind: p.kind,
                    title: format!("{}（第 {} 号）", p.title, i + 1),
                    domains: p.domains.to_vec(),
                    body_md: p.body.to_owned(),
                    clauses: markdown::render_clauses(p.body).expect("the demo texts render"),
                    window,
                    created_by: official,
                    draft: false,
                },
                opens_at.min(now) - Duration::hours(2),
            )
            .await?;
        report.proposals_created += 1;
        if opens_at < now {
            let target = db.comment_target(id).await?.expect("just created");
            for k in 0..(i % 20) {
                small_batches.push(comment_row(id, target.version_id, target.clause_count, &authors, k, opens_at));
            }
            if small_batches.len() >= ROWS_PER_TX {
                report.comments_inserted += insert_comments(db, std::mem::take(&mut small_batches)).await?;
            }
        }
    }
    report.comments_inserted += insert_comments(db, small_batches).await?;

    // the proposal with a very long thread
    let big: i64 = crate::on_db!(db, |pool| sqlx::query_scalar("SELECT MIN(id) FROM proposals").fetch_one(pool).await)?;
    let target = db.comment_target(big).await?.expect("the first proposal");
    let opens_at = now - Duration::days(5);
    let mut written = 0u64;
    while written < big_comments {
        let n = (big_comments - written).min(ROWS_PER_TX as u64);
        let rows: Vec<CommentRowOut> = (written..written + n)
            .map(|k| {
                // spread over the five days the window has been open, oldest first
                let at = opens_at + Duration::milliseconds((k as i64) * 400_000 / big_comments.max(1) as i64 * 1_000);
                comment_row(big, target.version_id, target.clause_count, &authors, k, at)
            })
            .collect();
        report.comments_inserted += insert_comments(db, rows).await?;
        written += n;
        if written.is_multiple_of(200_000) {
            tracing::info!(written, "comments on the big proposal");
        }
    }

    // counts from the rows, once
    crate::in_tx!(db, |tx| {
        sqlx::query("UPDATE proposals SET comment_count = (SELECT COUNT(*) FROM comments c WHERE c.proposal_id = proposals.id)")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM comment_tallies").execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO comment_tallies (proposal_id, clause_number, stance, count) \
             SELECT proposal_id, COALESCE(clause_number, 0), stance, COUNT(*) FROM comments WHERE hidden = FALSE \
             GROUP BY proposal_id, COALESCE(clause_number, 0), stance",
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE comment_groups SET member_count = (SELECT COUNT(*) FROM comments c WHERE c.group_id = comment_groups.id), \
             first_comment_id = (SELECT MIN(id) FROM comments c WHERE c.group_id = comment_groups.id), \
             last_comment_id = (SELECT MAX(id) FROM comments c WHERE c.group_id = comment_groups.id)",
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO proposal_commenters (proposal_id, user_id) SELECT DISTINCT proposal_id, author_id FROM comments WHERE TRUE \
             ON CONFLICT (proposal_id, user_id) DO NOTHING",
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE proposals SET \
             campaign_count = (SELECT COUNT(*) FROM comment_groups g WHERE g.proposal_id = proposals.id AND g.member_count > 1), \
             commenter_count = (SELECT COUNT(*) FROM proposal_commenters pc WHERE pc.proposal_id = proposals.id)",
        )
        .execute(&mut *tx)
        .await?;
    });
    if let Db::Postgres(pool) = db {
        sqlx::query("ANALYZE").execute(pool).await?;
    } else if let Db::Sqlite(pool, _) = db {
        sqlx::query("ANALYZE").execute(pool).await?;
        crate::backend::db::drop_sqlite_samples(pool).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(pool).await?;
    }
    report.big_proposal_id = big;
    report.big_proposal_comments =
        crate::on_db!(db, |pool| sqlx::query_scalar("SELECT comment_count FROM proposals WHERE id = $1").bind(big).fetch_one(pool).await)?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn bench_name(i: u64) -> String {
    const FAMILY: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"];
    const GIVEN: &[&str] = &["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明"];
    format!("{}{}{}", FAMILY[(i % 16) as usize], GIVEN[((i / 16) % 16) as usize], GIVEN[((i / 256) % 16) as usize])
}

struct CommentRowOut {
    fingerprint: Fingerprint,
    proposal_id: i64,
    version_id: i64,
    clause: Option<i32>,
    author_id: i64,
    stance: &'static str,
    body: String,
    body_html: String,
    created_at: DateTime<Utc>,
}

fn comment_row(proposal_id: i64, version_id: i64, clause_count: i64, authors: &[i64], k: u64, at: DateTime<Utc>) -> CommentRowOut {
    let (clause, stance, text) = COMMENTS[(k as usize) % COMMENTS.len()];
    // like mass consultations: most comments are copies of a few form letters, about
    // one in sixteen is someone's own words
    let body = if k.is_multiple_of(16) { format!("{text}（意见 {}）", k + 1) } else { text.to_owned() };
    CommentRowOut {
        fingerprint: Fingerprint::of(&body),
        proposal_id,
        version_id,
        clause: clause.filter(|c| (*c as i64) <= clause_count).map(|c| c as i32),
        author_id: authors[(k as usize * 7) % authors.len()],
        stance: stance.as_str(),
        body_html: markdown::plain_to_html(&body),
        body,
        created_at: at,
    }
}

/// One transaction, multi-row INSERTs of `ROWS_PER_STATEMENT` rows.
async fn insert_comments(db: &Db, rows: Vec<CommentRowOut>) -> Result<u64, DemoError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let n = rows.len() as u64;
    crate::in_tx!(db, |tx| {
        // campaign groups by exact text (the generator's near-duplicates are exact copies);
        // most rows are copies of a few letters, so each text is looked up once per batch
        let mut groups: Vec<i64> = Vec::with_capacity(rows.len());
        let mut known: std::collections::HashMap<(i64, i64), i64> = std::collections::HashMap::new();
        for r in &rows {
            let fp = r.fingerprint;
            if let Some(id) = known.get(&(r.proposal_id, fp.exact)) {
                groups.push(*id);
                continue;
            }
            let existing: Option<i64> =
                sqlx::query_scalar("SELECT id FROM comment_groups WHERE proposal_id = $1 AND fingerprint = $2 LIMIT 1")
                    .bind(r.proposal_id)
                    .bind(fp.exact)
                    .fetch_optional(&mut *tx)
                    .await?;
            let id = match existing {
                Some(id) => id,
                None => {
                    let b = fp.bands();
                    sqlx::query_scalar(
                        "INSERT INTO comment_groups (proposal_id, fingerprint, simhash, near, band0, band1, band2, band3, band4, band5, member_count) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0) RETURNING id",
                    )
                    .bind(r.proposal_id)
                    .bind(fp.exact)
                    .bind(fp.simhash as i64)
                    .bind(fp.near)
                    .bind(b[0])
                    .bind(b[1])
                    .bind(b[2])
                    .bind(b[3])
                    .bind(b[4])
                    .bind(b[5])
                    .fetch_one(&mut *tx)
                    .await?
                }
            };
            known.insert((r.proposal_id, fp.exact), id);
            groups.push(id);
        }
        for (chunk, chunk_groups) in rows.chunks(ROWS_PER_STATEMENT).zip(groups.chunks(ROWS_PER_STATEMENT)) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO comments (proposal_id, version_id, clause_number, author_id, stance, body, body_html, created_at, group_id) ",
            );
            q.push_values(chunk.iter().zip(chunk_groups), |mut b, (r, g)| {
                b.push_bind(r.proposal_id)
                    .push_bind(r.version_id)
                    .push_bind(r.clause)
                    .push_bind(r.author_id)
                    .push_bind(r.stance)
                    .push_bind(r.body.as_str())
                    .push_bind(r.body_html.as_str())
                    .push_bind(r.created_at)
                    .push_bind(*g);
            });
            q.build().execute(&mut *tx).await?;
        }
    });
    Ok(n)
}
