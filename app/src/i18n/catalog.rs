//! Every string of the interface, Chinese first, English second.

use super::Locale;

macro_rules! catalog {
    ($($key:ident => $zh:literal, $en:literal;)+) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($key),+ }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key),+];

            pub fn text(self, locale: Locale) -> &'static str {
                match self {
                    $(Msg::$key => match locale { Locale::ZhCn => $zh, Locale::En => $en }),+
                }
            }
        }
    };
}

catalog! {
    AppName => "民意", "Minyi";
    Tagline => "重大行政决策公众参与平台", "Public participation in major decisions";
    SkipToContent => "跳到正文", "Skip to content";
    NavHome => "首页", "Home";
    NavConsultations => "征求意见", "Consultations";
    NavNewProposal => "发布草案", "Publish a draft";
    NavAdmin => "账户与角色", "Accounts and roles";
    SignIn => "登录", "Sign in";
    SignOut => "退出", "Sign out";
    Register => "注册", "Register";
    Language => "语言", "Language";
    SwitchToOther => "English", "中文";
    SignedInAs => "已登录：", "Signed in as ";

    FieldEmail => "电子邮箱", "E-mail";
    FieldPassword => "密码", "Password";
    FieldPasswordHint => "至少 8 个字符", "At least 8 characters";
    FieldDisplayName => "公开显示的名字", "Name shown publicly";
    FieldDisplayNameHint => "2 至 40 个字符，评论旁公开显示", "2 to 40 characters, shown beside your comments";
    RegisterTitle => "注册账户", "Create an account";
    RegisterSubmit => "注册并登录", "Register and sign in";
    SignInTitle => "登录", "Sign in";
    SignInSubmit => "登录", "Sign in";
    NoAccountYet => "还没有账户？", "No account yet?";
    HaveAccount => "已有账户？", "Already registered?";
    Submitting => "正在提交…", "Submitting…";

    HomeOpenTitle => "正在征求意见", "Open for comment";
    HomeUpcomingTitle => "即将开始", "Opening soon";
    HomeClosedTitle => "已结束征求意见", "Comment period closed";
    NoProposals => "暂无草案。", "No drafts here yet.";
    MorePrevious => "更早的", "Older";
    NextPage => "下一页", "Next page";
    FirstPage => "第一页", "First page";
    ClosesOn => "截止", "Closes";
    OpensOn => "开始", "Opens";
    CommentsCount => "{n} 条意见", "{n} comments";
    HearingRequiredBadge => "须举行听证", "Hearing required";
    ShortWindowReason => "征求意见期少于 30 日的理由：", "Reason for a comment period shorter than 30 days: ";

    ProposalAgency => "起草单位", "Agency";
    ProposalKindLabel => "类别", "Kind";
    ProposalDomains => "领域", "Domains";
    ProposalWindow => "征求意见期", "Comment period";
    ProposalText => "草案全文", "Full text";
    ClauseN => "第 {n} 条", "Clause {n}";
    CommentOnClause => "就此条提意见", "Comment on this clause";
    CommentsTitle => "公众意见", "Public comments";
    NoComments => "还没有意见。", "No comments yet.";
    OnClause => "针对第 {n} 条", "On clause {n}";
    OnWholeText => "针对全文", "On the whole text";
    LeaveComment => "发表意见", "Leave a comment";
    CommentTarget => "意见针对", "Your comment is about";
    WholeText => "全文", "The whole text";
    StanceLabel => "态度", "Stance";
    CommentBody => "意见内容", "Your comment";
    CommentBodyHint => "最多 5000 字，以纯文本显示", "Up to 5,000 characters, shown as plain text";
    CommentSubmit => "提交意见", "Submit comment";
    CommentPosted => "意见已发表。", "Your comment is published.";
    SignInToComment => "登录后即可发表意见。", "Sign in to leave a comment.";
    WindowClosedNoComments => "征求意见期已结束，不再接受意见。", "The comment period has ended; no more comments are accepted.";
    WindowNotYetOpen => "征求意见期尚未开始。", "The comment period has not started yet.";
    CharactersLeft => "剩余 {n} 字", "{n} characters left";

    NewProposalTitle => "发布征求意见草案", "Publish a draft for comment";
    FieldTitle => "标题", "Title";
    FieldAgency => "起草单位", "Agency";
    FieldKind => "类别", "Kind";
    FieldDomains => "涉及领域（可多选）", "Policy domains (one or more)";
    FieldBody => "草案正文（Markdown）", "Draft text (Markdown)";
    FieldBodyHint => "每个段落或列表为一条，可被单独评论；标题用于分章，不编号。", "Each paragraph or list becomes a numbered clause that can be commented on; headings divide the text and are not numbered.";
    FieldOpensAt => "开始时间（北京时间）", "Opens (Beijing time)";
    FieldClosesAt => "截止时间（北京时间）", "Closes (Beijing time)";
    FieldShortReason => "征求意见期少于 30 日的理由", "Reason for a period shorter than 30 days";
    FieldShortReasonHint => "依《重大行政决策程序暂行条例》第十五条，征求意见期一般不少于 30 日；较短时须说明理由并公开。", "Art. 15 of the State Council rules on major administrative decisions: at least 30 days, unless a reason is recorded and published.";
    PublishSubmit => "发布", "Publish";
    OfficialsOnly => "只有机关工作人员可以发布草案。", "Only officials of an agency can publish drafts.";
    NoAgencyAssigned => "您的账户尚未关联机关，请联系管理员。", "Your account is not linked to an agency yet; ask an administrator.";

    AdminTitle => "账户与角色", "Accounts and roles";
    AdminSearch => "按邮箱或名字查找", "Find by e-mail or name";
    AdminSearchSubmit => "查找", "Search";
    AdminRoles => "角色", "Roles";
    AdminAgency => "所属机关", "Agency";
    AdminGrant => "授予", "Grant";
    AdminRevoke => "撤销", "Revoke";
    AdminNoAgency => "（无）", "(none)";
    AdminSetAgency => "设置机关", "Set agency";
    AdminOnly => "只有管理员可以管理角色。", "Only administrators can manage roles.";
    AdminCannotRevokeOwnAdmin => "不能撤销自己的管理员角色。", "You cannot revoke your own admin role.";

    RoleCitizen => "公民", "Citizen";
    RoleOfficial => "机关工作人员", "Official";
    RoleOrganizer => "听证组织者", "Hearing organizer";
    RoleReviewer => "审查人员", "Reviewer";
    RoleModerator => "内容管理员", "Moderator";
    RoleAdmin => "系统管理员", "Administrator";

    KindRegulation => "规章", "Regulation";
    KindMajorDecision => "重大决策", "Major decision";
    KindPolicyAdjustment => "政策调整", "Policy adjustment";
    KindReformPlan => "改革方案", "Reform plan";
    KindKeyProject => "重点项目", "Key project";
    KindEnvironmentalProject => "重大环境影响项目", "Project with major environmental impact";
    KindInvestmentProject => "政府投资项目", "Government investment project";

    DomainEducation => "教育", "Education";
    DomainHealth => "医疗卫生", "Health care";
    DomainSocialSecurity => "社会保障", "Social security";
    DomainAffordableHousing => "保障性住房", "Affordable housing";
    DomainPricing => "价格", "Pricing";
    DomainFees => "收费", "Fees";
    DomainEnvironment => "生态环境", "Environment";
    DomainLandAndDemolition => "土地征收与拆迁", "Land and demolition";
    DomainTransport => "交通", "Transport";
    DomainOther => "其他", "Other";

    StanceSupport => "支持", "Support";
    StanceOppose => "反对", "Oppose";
    StanceSuggestion => "建议", "Suggestion";

    PhaseUpcoming => "未开始", "Upcoming";
    PhaseOpen => "征求意见中", "Open";
    PhaseClosed => "已截止", "Closed";

    ErrUnauthenticated => "请先登录。", "Please sign in first.";
    ErrForbidden => "您的账户没有执行此操作所需的角色：", "Your account lacks the role this needs: ";
    ErrNotFound => "找不到该页面或内容。", "That page or item does not exist.";
    ErrRateLimited => "尝试次数过多，请 {secs} 秒后再试。", "Too many attempts; try again in {secs} seconds.";
    ErrInternal => "服务器出了问题，您的内容没有保存，请稍后再试。", "Something went wrong on the server; nothing was saved. Please try again later.";
    ErrTransport => "请求没有送达服务器，请检查网络后再试。", "The request did not reach the server; check your connection and try again.";
    ErrFixFields => "请修改下面标出的内容。", "Please correct the fields marked below.";
    NotFoundTitle => "页面不存在", "Page not found";
    BackHome => "返回首页", "Back to the home page";

    RuleRequired => "此项必填。", "This field is required.";
    RuleTooLong => "最多 {max} 个字符，请删减。", "At most {max} characters; please shorten it.";
    RuleTooShort => "至少 {min} 个字符。", "At least {min} characters.";
    RuleEmailFormat => "请输入有效的电子邮箱，例如 name@example.cn。", "Enter a valid e-mail address, such as name@example.cn.";
    RuleEmailTaken => "该邮箱已注册，请直接登录。", "This e-mail is already registered; sign in instead.";
    RuleWrongCredentials => "邮箱或密码不正确。", "E-mail or password is incorrect.";
    RuleUnknownChoice => "请从列表中选择。", "Choose one of the listed options.";
    RuleBadDateTime => "请输入日期和时间，例如 2026-12-01 09:00。", "Enter a date and time, such as 2026-12-01 09:00.";
    RuleWindowEndsBeforeStart => "截止时间必须晚于开始时间。", "The closing time must be after the opening time.";
    RuleWindowTooShort => "征求意见期不得少于 {days} 日（《重大行政决策程序暂行条例》第十五条），除非填写较短期限的理由。", "The comment period must be at least {days} days (art. 15, State Council rules on major administrative decisions), unless you record a reason for a shorter one.";
    RuleNoDomain => "请至少选择一个领域。", "Choose at least one domain.";
    RuleNoSuchClause => "本版本草案没有第 {n} 条。", "This version of the text has no clause {n}.";
    RuleWindowNotOpen => "现在不在征求意见期内，不能提交意见。", "Comments are accepted only while the comment period is open.";
    RuleUnknownAgency => "没有这个机关。", "There is no such agency.";
    RuleNotYourAgency => "您只能以本机关名义发布。", "You can publish only for your own agency.";
    RuleAlreadySupported => "您已支持过这条意见。", "You have supported this comment already.";
    RuleNotSupported => "您没有支持过这条意见，无需撤回。", "You have not supported this comment, so there is nothing to withdraw.";
    RuleAlreadyHidden => "这条意见已被隐藏。", "This comment is hidden already.";
    RuleAlreadyReported => "您已举报过这条意见，管理员会处理。", "You have reported this comment already; a moderator will look at it.";
    RuleCommentFlood => "发表意见过于频繁（{scope} {minutes} 分钟内最多 {limit} 条），请 {secs} 秒后再试。", "You are commenting too often (at most {limit} comments {scope} in {minutes} minutes); try again in {secs} seconds.";
    FloodPerAccount => "每个账户", "per account";
    FloodPerAddress => "每个网络地址", "per network address";
    SupportButton => "支持", "Support";
    WithdrawSupport => "撤回支持", "Withdraw support";
    SupportCount => "{n} 人支持", "{n} supporters";
    ReportButton => "举报", "Report";
    ReportReason => "举报理由（可选）", "Reason for the report (optional)";
    Reported => "已举报，感谢。", "Reported, thank you.";
    HiddenByModerator => "此意见已被内容管理员隐藏，理由：", "Hidden by a moderator: ";
    NavModeration => "意见审核", "Moderation";
    ModerationTitle => "意见审核", "Moderation";
    ModerationReported => "被举报的意见", "Reported comments";
    ModerationRecent => "最新意见", "Recent comments";
    ModerationReports => "{n} 次举报", "{n} reports";
    HideReason => "公开的隐藏理由", "Public reason for hiding";
    HideButton => "隐藏", "Hide";
    ModeratorsOnly => "只有内容管理员可以审核意见。", "Only moderators can moderate comments.";
    NavNotices => "我的通知", "My notices";
    NoticesTitle => "我的通知", "My notices";
    NoNotices => "没有通知。", "No notices.";
    NoticeHidden => "您在《{title}》下的意见已被隐藏，理由：{reason}", "Your comment on “{title}” was hidden. Reason: {reason}";
    RealIdentity => "实名（仅机关可见）：", "Real identity (officials only): ";
    CampaignOf => "集中意见：共 {n} 条相同或相似的意见", "Campaign: {n} identical or near-identical comments";
    CampaignsCount => "{n} 组集中意见", "{n} campaigns";
    CampaignSeeAll => "查看全部", "See every one";
    CampaignTitle => "集中意见的全部内容", "Every comment of this campaign";
    CampaignExplained => "内容相同或仅改动少量字词的意见（如统一模板的来信）归为一组显示，每一条都保留并可查看。", "Comments with the same text, or with only a few words changed (such as form letters), are shown as one entry; every one of them is kept and listed here.";
    BackToProposal => "返回草案", "Back to the draft";
    DraftPreviewBanner => "草稿预览：尚未公开，只有本机关工作人员可见。", "Draft preview: not public yet, visible to your agency's officials only.";
    DraftPreviewHint => "以上就是公开后公众看到的样子。确认无误后发布，征求意见期按所填时间开始。", "This is exactly how the public will see it. Publish when it is right; the comment period runs as set.";
    PublishNow => "确认发布", "Publish now";
    SaveDraft => "保存草稿并预览", "Save draft and preview";
    VersionN => "第 {n} 版", "Version {n}";
    VersionOf => "第 {n} 版（当前为第 {current} 版）", "Version {n} (the current version is {current})";
    CurrentVersion => "当前为第 {n} 版", "This is version {n}";
    ShowChanges => "查看修改", "See what changed";
    ChangesTitle => "第 {old} 版到第 {new} 版的修改", "Changes from version {old} to version {new}";
    DiffUnchanged => "第 {n} 条 未修改", "Clause {n}: unchanged";
    DiffChanged => "原第 {old} 条 → 现第 {new} 条 已修改", "Clause {old} → clause {new}: changed";
    DiffAdded => "新增第 {n} 条", "Clause {n}: added";
    DiffRemoved => "删除原第 {n} 条", "Former clause {n}: removed";
    ReviseTitle => "发布新版本", "Publish a new version";
    ReviseHint => "旧版本和针对旧版本的意见都会保留并可查阅，意见不会被挪到新文本上。", "Older versions and the comments made on them stay readable; no comment moves to the new text.";
    PublishVersion => "发布新版本", "Publish the new version";
    OnClauseOfVersion => "针对第 {v} 版第 {n} 条", "On clause {n} of version {v}";
    RuleFeedbackBeforeWindowCloses => "征求意见期结束后才能发布意见采纳情况。", "The feedback report can be published only after the comment period has closed.";
    RuleFeedbackAlreadyPublished => "意见采纳情况已经发布。", "The feedback report is published already.";
    RuleFeedbackEmpty => "请至少对一条条款或一组意见作出采纳决定。", "Give a decision on at least one clause or comment group.";
    RuleGatesUnmet => "尚有程序未完成，不能通过：", "Cannot be adopted while these steps lack their evidence: ";
    ListSeparator => "、", ", ";
    GatePublicComment => "公开征求意见（征求意见期已结束）", "Public comment (a closed comment period)";
    GateFeedbackReport => "公布意见采纳情况", "Published feedback report";
    GateHearing => "举行听证并公布听证报告", "Public hearing with a published report";
    GateStabilityRisk => "社会稳定风险评估（经审查通过）", "Social stability risk assessment, approved";
    GateLegalityReview => "合法性审查意见", "Legality review opinion on file";
    GatesTitle => "决策程序清单", "Gate checklist";
    GateMet => "已完成", "Done";
    GateUnmet => "未完成", "Not done";
    AdoptButton => "通过决策", "Adopt";
    AdoptedBadge => "已通过", "Adopted";
    DecisionAdopted => "采纳", "Adopted";
    DecisionPartlyAdopted => "部分采纳", "Partly adopted";
    DecisionNotAdopted => "不采纳", "Not adopted";
    FeedbackTitle => "意见采纳情况", "How comments were used";
    FeedbackCounts => "共收到 {comments} 条意见，来自 {commenters} 位公众，其中集中意见 {campaigns} 组；采纳或部分采纳 {adopted} 项。", "{comments} comments from {commenters} people, {campaigns} campaigns; {adopted} items adopted or partly adopted.";
    FeedbackNotYet => "尚未公布意见采纳情况；征求意见期结束后由起草单位公布。", "Not published yet; the agency publishes it after the comment period closes.";
    FeedbackSummary => "总体说明", "Summary";
    FeedbackWrite => "发布意见采纳情况", "Publish the feedback report";
    FeedbackDecisionFor => "采纳决定", "Decision";
    FeedbackReasonFor => "理由", "Reason";
    FeedbackNoDecision => "（不作决定）", "(no decision)";
    FeedbackOnClause => "第 {n} 条", "Clause {n}";
    FeedbackOnGroup => "集中意见（{n} 条）：", "Campaign ({n} comments): ";
    RuleWindowCannotShorten => "征求意见期只能延长，不能缩短：新的截止时间必须晚于原截止时间。", "A comment period can be extended, never shortened: the new closing time must be later than the current one.";
    ExtendTitle => "延长征求意见期", "Extend the comment period";
    ExtendReason => "延长理由（公开）", "Reason for the extension (public)";
    ExtendSubmit => "延长", "Extend";
    Extended => "征求意见期已由 {old} 延长至 {new}，理由：{reason}", "Comment period extended from {old} to {new}. Reason: {reason}";
    EventsTitle => "其他征求意见方式", "Other consultation methods";
    EventKind => "方式", "Method";
    EventHeldAt => "时间（北京时间）", "When (Beijing time)";
    EventTitleField => "名称", "Title";
    EventMinutes => "纪要（Markdown）", "Minutes (Markdown)";
    EventSubmit => "记录", "Record";
    EventForum => "座谈会", "Forum";
    EventExpert => "专家论证", "Expert argumentation";
    EventQuestionnaire => "问卷调查", "Questionnaire";
    EventNotice => "公示", "Public notice";
    EventHearing => "听证会", "Hearing";
    RuleTooManyAttempts => "尝试次数过多，请 {secs} 秒后再试。", "Too many attempts; try again in {secs} seconds.";
    RuleWindowOpensInThePast => "征求意见期不能早于发布时间开始（允许 {minutes} 分钟误差）：公众须有完整的征求意见期（第十五条）。请把开始时间设为现在或以后。", "The comment period cannot start before it is published (within {minutes} minutes): the public must have the whole period (art. 15). Set the opening time to now or later.";
    RuleNotInState => "草案处于“{status}”状态，不能进行此操作。", "This cannot be done while the proposal is “{status}”.";
    RuleNewWindowRequired => "征求意见期已结束；发布新版本须同时设定新的征求意见期（不少于 30 日，或填写较短期限的理由）。", "The comment period has closed: a new version needs a new comment period (at least 30 days, or a reason for a shorter one).";
    RuleWindowStillOpen => "征求意见期尚未结束，请延长现有期限，而不是另设新期限。", "The comment period is still open: extend it instead of setting a new one.";
    RuleUnknownUser => "没有这个账户。", "There is no such account.";
    RuleNoSuchGroup => "本草案没有编号为 {group} 的意见组。", "This proposal has no comment group {group}.";
    AuditTitle => "审计日志", "Audit log";
    AuditExplained => "每一次状态变更都与变更本身在同一事务中写入；每个对象的记录以 SHA-256 串联，任何修改或删除都会被 minyi audit verify 发现。", "Every state change is written in the same transaction as the change; each subject's entries are chained by SHA-256, so any edit or deletion is found by minyi audit verify.";
    AuditEntity => "对象类型", "Subject";
    AuditEntityId => "对象编号", "Subject id";
    AuditActor => "操作人编号", "Actor id";
    AuditAction => "操作", "Action";
    AuditFrom => "起始日期", "From";
    AuditUntil => "截止日期", "Until";
    AuditAny => "全部", "Any";
    AuditWhen => "时间", "When";
    AuditDetail => "内容", "Detail";
    AuditEmpty => "没有符合条件的记录。", "No entries match.";
    NavAudit => "审计日志", "Audit log";
    NewWindowLegend => "新的征求意见期（仅在原期限已结束时填写）", "A new comment period (only once the old one has closed)";
    NewWindowHint => "征求意见期尚未结束时，新版本沿用原期限；已结束的，新版本须重新征求意见，不少于 30 日，或填写较短期限的理由。", "While the comment period is open a new version keeps it; after it closed, the new text is put to comment again for at least 30 days, or a shorter period with a reason.";
    WithdrawTitle => "撤回草案", "Withdraw the proposal";
    WithdrawReason => "撤回理由（公开）", "Reason for withdrawal (public)";
    WithdrawButton => "撤回", "Withdraw";
    WithdrawnBanner => "本草案已撤回，理由：{reason}", "This proposal was withdrawn: {reason}";
    StatusDraft => "草稿", "draft";
    StatusPublished => "已发布", "published";
    StatusFeedbackPublished => "已公布采纳情况", "feedback published";
    StatusAdopted => "已通过", "adopted";
    StatusWithdrawn => "已撤回", "withdrawn";
    RuleControlCharacter => "第 {pos} 个字符是不可见的控制字符，请删除后再提交。", "Character {pos} is an invisible control character; please delete it.";
    RuleBidiControl => "第 {pos} 个字符是改变文字方向的不可见控制字符，会使显示的内容与保存的不同，请删除。", "Character {pos} is an invisible text-direction control, which would make the text shown differ from the text saved; please delete it.";
    RuleReplacementCharacter => "第 {pos} 个字符是乱码替换符（�），说明有内容在复制或编码时丢失，请检查并改正这段文字。", "Character {pos} is a replacement mark (�): part of the text was lost in copying or encoding; please check and correct it.";
    RuleLineBreakNotAllowed => "此项只能填写一行，请删除换行。", "This field takes a single line; please remove the line breaks.";
    RuleNameImpersonatesStaff => "名字不能冒用管理员、版主、官方、本平台或机关的名义，请换一个名字。", "The name may not pass for an administrator, moderator, official account, this platform or an agency; please choose another.";
    RuleTooManyClauses => "一个版本最多 {max} 条，请合并或删减条款。", "A version may have at most {max} clauses; please merge or remove some.";
    RuleDateOutOfRange => "日期须在 {min} 年至 {max} 年之间。", "The date must be between the years {min} and {max}.";
    RuleEndNotAfterStart => "结束时间必须晚于开始时间。", "The end must be later than the start.";
    RuleNestingTooDeep => "引用或列表嵌套超过 {max} 层，请减少嵌套层次。", "Quotes or lists are nested more than {max} levels deep; nest them less.";
    RuleTextTooComplex => "文本结构过于复杂（超过 {max} 个段落、列表项或表格单元格），请拆分或简化。", "The text has too many parts (more than {max} paragraphs, list items or table cells); split or simplify it.";
}
