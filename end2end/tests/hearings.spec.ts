import { expect, Page, request, test } from "@playwright/test";
import { beijingInput, hydrated, openProposalUrl, pdf, register, signIn, uniqueEmail } from "./helpers";

// the journey's own server, whose clock it moves forward (see playwright.config.ts)
const base = `http://127.0.0.1:${process.env.E2E_HEARINGS_PORT ?? "3101"}`;
test.use({ baseURL: base });


/** Moves the server's clock forward; sessions expire meanwhile, as they would. */
async function advance(page: Page, days: number) {
  const res = await page.request.post(`${base}/test/clock?days=${days}`);
  expect(res.ok()).toBeTruthy();
}

async function step(page: Page, button: RegExp, status: RegExp) {
  await hydrated(page);
  await page.getByRole("button", { name: button }).click();
  await expect(page.locator("article.hearing header .tag")).toHaveText(status);
}

test("the home page lists the coming hearings; the calendar shows the month and each hearing its state", async ({ page }) => {
  await page.goto("/");
  const section = page.locator("section", { has: page.getByRole("heading", { name: "即将举行的听证会" }) });
  await expect(section.locator(".hearing-card")).toHaveCount(3);
  await expect(section).not.toContainText("已取消");
  await section.getByRole("link", { name: /听证会日历/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("听证会");
  await expect(page.locator("table.month-grid tbody tr")).toHaveCount(6);
  await expect(page.locator(".hearing-list")).toContainText("报名中");
});

test("a hearing from schedule to report meets the gate; a citizen applies, is drawn, downloads the materials and confirms the record", async ({ browser }) => {
  test.setTimeout(240_000);
  const organizer = await (await browser.newContext({ baseURL: base })).newPage();
  const citizen = await (await browser.newContext({ baseURL: base })).newPage();

  // the organizer schedules a hearing on the water-price draft (pricing: a hearing is required)
  await signIn(organizer, "organizer@example.cn");
  const proposal = await openProposalUrl(organizer);
  await organizer.goto(`${proposal}#hearings`);
  await hydrated(organizer);
  const section = organizer.locator("#hearings");
  await expect(section).toContainText("依规必须举行听证会");
  await section.getByLabel("地点").fill("市政务服务中心三楼听证大厅");
  await section.getByLabel("开始时间").fill(beijingInput(20));
  await section.getByLabel("结束时间").fill(beijingInput(20).replace("T09:00", "T12:00"));
  await section.getByLabel("报名截止").fill(beijingInput(4));
  await section.getByLabel("方案概要").fill("居民用水价格由每立方米 2.8 元调整为 3.2 元，实行三级阶梯水价，低保家庭每月减免 5 立方米。");
  await section.getByLabel(/听证人/).fill("officer1@example.cn\nofficer2@example.cn");
  await section.getByRole("button", { name: "安排听证会" }).click();
  // refused with the rule named: too few officers, and a call that cannot be 30 days before
  await expect(section.locator(".form-error, .field-error").first()).toBeVisible();
  await expect(section).toContainText(/听证人须为 3 至 5 人|30 日前/);
  await section.getByLabel(/听证人/).fill("officer1@example.cn\nofficer2@example.cn\nofficer3@example.cn");
  await section.getByRole("button", { name: "安排听证会" }).click();
  await expect(section).toContainText(/30 日前发布.*最早可在/);
  await section.getByLabel("开始时间").fill(beijingInput(40));
  await section.getByLabel("结束时间").fill(beijingInput(40).replace("T09:00", "T12:00"));
  await section.getByLabel("报名截止").fill(beijingInput(15));
  await section.getByRole("button", { name: "安排听证会" }).click();
  await organizer.waitForURL(/\/hearings\/\d+$/);
  const hearing = new URL(organizer.url()).pathname;
  const id = hearing.split("/").pop();
  await expect(organizer.locator("article.hearing header .tag")).toHaveText("已排期");
  await step(organizer, /发布报名公告/, /报名中/);

  // a citizen applies (low-income: the draw seats at least one low-income applicant)
  const citizenEmail = uniqueEmail("hearing");
  await register(citizen, citizenEmail, "听证报名人", "hearing-pass-2026");
  await citizen.goto(hearing);
  await hydrated(citizen);
  await citizen.getByLabel("消费者").check();
  await citizen.getByLabel("我属于低收入群体").check();
  await citizen.getByLabel(/简短陈述/).fill("我家是低保户，水价上调对我们影响很大。");
  await citizen.getByRole("button", { name: "报名参加" }).click();
  await expect(citizen.getByTestId("my-application")).toContainText("已报名，等待抽选");

  // 300 more applicants (the demo generator), none low-income
  const load = await organizer.request.post(`${base}/test/hearing-applicants?hearing=${id}&count=300&low_income_percent=0`);
  expect(await load.json()).toEqual({ applied: 300 });
  await organizer.goto(`${hearing}/applicants?constituency=consumer`);
  await expect(organizer.getByTestId("applicants").locator("tbody tr")).toHaveCount(50);
  await organizer.getByRole("link", { name: /下一页/ }).click();
  await expect(organizer.getByTestId("applicants").locator("tbody tr")).toHaveCount(50);

  // applications close; the draw runs once and can be checked
  await advance(organizer, 16);
  await signIn(organizer, "organizer@example.cn");
  await signIn(citizen, citizenEmail, "hearing-pass-2026");
  await organizer.goto(hearing);
  await step(organizer, /进行抽选/, /已抽选/);
  await expect(organizer.locator("#participants tbody tr")).toHaveCount(15);
  await organizer.goto(`${hearing}/draw`);
  await expect(organizer.getByTestId("draw-verified")).toContainText("结果一致");
  await expect(organizer.locator("table.draw tbody tr")).toHaveCount(301);

  // the citizen is told, and sees the seat
  await citizen.goto("/notices");
  await expect(citizen.getByTestId("hearing-notices")).toContainText("您已被抽中为听证参加人");
  await citizen.goto(hearing);
  await expect(citizen.getByTestId("my-application")).toContainText("已抽中为听证参加人");

  // lists and materials 24 days before
  await organizer.goto(hearing);
  await step(organizer, /公布参加人和听证人名单/, /名单已公布/);
  // the first speaker gets 8 minutes
  await hydrated(organizer);
  const first = organizer.locator("#participants tbody tr").first();
  await first.getByLabel("发言时间").fill("8");
  await first.getByRole("button", { name: "保存" }).click();
  await expect(organizer.locator("#participants tbody tr").first()).toContainText("8 分钟");
  await organizer.getByLabel("上传听证材料").setInputFiles({ name: "水价调整方案及成本监审报告.pdf", mimeType: "application/pdf", buffer: pdf() });
  await organizer.getByRole("button", { name: "上传", exact: true }).click();
  await expect(organizer.getByTestId("material")).toContainText("水价调整方案及成本监审报告.pdf");
  await hydrated(organizer);
  await organizer.getByRole("button", { name: "向参加人送达材料" }).click();
  await expect(organizer.getByRole("button", { name: "向参加人送达材料" })).toHaveCount(0);

  // the participant downloads them; someone not selected cannot
  await citizen.goto(hearing);
  const link = citizen.getByTestId("material");
  await expect(link).toBeVisible();
  const download = await citizen.request.get(`${base}${await link.getAttribute("href")}`);
  expect(download.status()).toBe(200);
  expect(download.headers()["content-type"]).toContain("application/pdf");
  const anonymous = await request.newContext({ baseURL: base });
  expect((await anonymous.get(`${base}${await link.getAttribute("href")}`)).status()).toBe(404);
  await anonymous.dispose();

  // the day of the hearing: attendance, the record
  await advance(organizer, 25);
  await signIn(organizer, "organizer@example.cn");
  await signIn(citizen, citizenEmail, "hearing-pass-2026");
  await organizer.goto(hearing);
  await hydrated(organizer);
  await organizer.locator("#participants").getByRole("button", { name: "标为出席" }).first().click();
  await expect(organizer.locator("#participants").getByRole("button", { name: "标为缺席" })).toHaveCount(1);
  await organizer.getByLabel("听证笔录").fill("听证会按议程进行。起草机关说明方案后，15 名参加人按抽签顺序发言，多数同意调整并建议加大低保家庭减免。");
  await step(organizer, /形成听证笔录/, /已举行/);

  // the participant confirms the record (art. 17)
  await citizen.goto(hearing);
  await hydrated(citizen);
  await expect(citizen.getByTestId("record")).toContainText("按抽签顺序发言");
  await citizen.getByRole("button", { name: "提交" }).click();
  await expect(citizen.locator("#apply")).toContainText("您已确认笔录");

  // the report: the proposal's hearing gate turns met
  await organizer.goto(hearing);
  await hydrated(organizer);
  await organizer.getByLabel("听证报告：意见综述").fill("多数参加人同意调整方案，建议提高低保家庭减免水量。");
  await organizer.getByLabel("消费者的意见").fill("消费者代表关注第一阶梯水量。");
  await step(organizer, /发布听证报告/, /报告已发布/);
  await expect(organizer.getByTestId("report")).toContainText("多数参加人同意");
  await organizer.goto(proposal);
  await expect(organizer.locator('#gates [data-gate="Hearing"]')).toHaveClass(/gate-met/);

  // the feed lists it for calendar apps
  const ics = await organizer.request.get(`${base}/hearings/${id}/calendar.ics`);
  expect(ics.headers()["content-type"]).toContain("text/calendar");
  expect(await ics.text()).toContain("BEGIN:VEVENT");
});
