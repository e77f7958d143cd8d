import { APIRequestContext, expect, Page, request, test } from "@playwright/test";
import { DEMO_PASSWORD, hydrated, signIn } from "./helpers";

// the hearings server: its clock can be moved past the panel's deadline (see playwright.config.ts)
const base = `http://127.0.0.1:${process.env.E2E_HEARINGS_PORT ?? "3101"}`;
test.use({ baseURL: base });

const PARTY = "合肥味源食品商行";
const FACTS =
  "2026年10月8日，执法人员对合肥味源食品商行位于合肥市庐阳区阜南路88号3栋102室的经营场所检查，发现其销售标签不符合规定的预包装食品。" +
  "经营者吴大海（身份证号34010319790512003X，手机+86 138-0013-8000）在场确认。\n送货车辆皖A·7B9C1。";
const PRIVATE = [PARTY, "味源", "吴大海", "34010319790512003X", "138-0013-8000", "13800138000", "阜南路88号", "7B9C1"];

async function advance(page: Page, days: number) {
  const res = await page.request.post(`${base}/test/clock?days=${days}`);
  expect(res.ok()).toBeTruthy();
}

/** Signs a demo account in through the API; the context keeps its session cookie. */
async function apiSignIn(email: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: base });
  const res = await api.post("/api/sign_in", { form: { email, password: DEMO_PASSWORD }, headers: { accept: "application/json" } });
  expect(res.status(), await res.text()).toBeLessThan(400);
  return api;
}

test("an official submits a case and confirms its masking, a panel of 7 is drawn, 7 reviewers give opinions, the agency replies, and the public never sees the party", async ({ browser, page }) => {
  test.setTimeout(300_000);
  const official = await (await browser.newContext({ baseURL: base })).newPage();
  await signIn(official, "official.sthjj@example.cn");
  await official.goto("/penalties");
  await official.getByRole("link", { name: "提交评议案件" }).click();
  await hydrated(official);
  await official.getByLabel("案件编号").fill("市环罚〔2026〕99号");
  await official.getByLabel("所在区县").fill("庐阳区");
  await official.getByLabel("当事人", { exact: true }).fill(PARTY);
  await official.getByLabel("其他须隐去的姓名").fill("吴大海");
  await official.getByLabel("违法事实").fill(FACTS);
  await official.getByLabel("法律依据").fill("《中华人民共和国食品安全法》第一百二十五条第一款第（二）项。");
  await official.getByLabel("裁量基准").fill("《安徽省市场监督管理行政处罚裁量权基准》：货值金额不足一万元的，处五千元以上五万元以下罚款。");
  await official.getByLabel(/^金额/).fill("20,000");
  await official.getByRole("button", { name: "提交并检查隐名" }).click();
  await official.waitForURL(/\/penalties\/\d+/);
  const url = new URL(official.url()).pathname;
  const id = url.split("/").pop()!;
  await expect(official.locator("article.case header .tag").first()).toHaveText("待确认隐名");

  // the masking beside the original, every span marked; the party is shown to the agency only
  await expect(official.getByTestId("party")).toHaveText(PARTY);
  const masking = official.getByTestId("masking-facts");
  await expect(masking.locator("mark").first()).toBeVisible();
  expect(await masking.locator("mark").count()).toBeGreaterThanOrEqual(10);
  const facts = official.locator("#confirm-facts");
  const masked = await facts.inputValue();
  for (const secret of PRIVATE) expect(masked).not.toContain(secret);
  expect(masked).toContain("某食品商行");

  // a correction that puts a phone number back is refused, pointing at the spot
  await hydrated(official);
  await facts.fill(`${masked}\n联系电话 0551-6523 8899`);
  await official.getByRole("button", { name: "确认隐名并公开" }).click();
  await expect(official.locator("#agency")).toContainText(/第 3 行第 6 字处仍有未隐去的电话号码/);
  await facts.fill(masked);
  await official.getByRole("button", { name: "确认隐名并公开" }).click();
  await expect(official.locator("article.case header .tag").first()).toHaveText("待抽选评议小组");

  // the panel of 7, drawn from the pool with the committed seed
  await hydrated(official);
  await official.getByLabel("评议小组人数").selectOption("7");
  await official.getByRole("button", { name: "抽选评议小组" }).click();
  await expect(official.locator("article.case header .tag").first()).toHaveText("评议中");
  await expect(official.getByTestId("seats").locator("tbody tr")).toHaveCount(7);
  await official.getByRole("link", { name: "评议员抽选结果" }).click();
  await expect(official.getByTestId("draw-verified")).toContainText(/结果一致/);

  // who was drawn: each demo reviewer looks at their invitations
  const invited: APIRequestContext[] = [];
  for (let i = 1; i <= 20; i++) {
    const api = await apiSignIn(`pingyi${i}@example.cn`);
    const res = await api.post("/api/my_pool", { headers: { accept: "application/json" } });
    expect(res.status(), await res.text()).toBe(200);
    const place = await res.json();
    if (place.panels.some((p: any) => String(p.case_id) === id && p.state === "invited")) invited.push(api);
    else await api.dispose();
  }
  expect(invited.length).toBe(7);

  // seven reviewers accept and give opinions in the browser: five agree, one lighter, one heavier
  const choices: [RegExp, string | null][] = [
    [/同意拟处罚/, null], [/同意拟处罚/, null], [/同意拟处罚/, null], [/同意拟处罚/, null], [/同意拟处罚/, null],
    [/^从轻$/, "10000"], [/^从重$/, "30000"],
  ];
  for (const [i, api] of invited.entries()) {
    const context = await browser.newContext({ baseURL: base, storageState: await api.storageState() });
    const reviewer = await context.newPage();
    await reviewer.goto(`${url}#my-seat`);
    await hydrated(reviewer);
    // they read the masked case, not the party
    await expect(reviewer.getByTestId("facts")).toContainText("某食品商行");
    await reviewer.getByRole("button", { name: "接受邀请" }).click();
    await expect(reviewer.getByTestId("my-seat")).toContainText("已接受");
    const [choice, amount] = choices[i];
    await reviewer.getByLabel(choice).check();
    if (amount) await reviewer.getByLabel(/建议金额/).fill(amount);
    await reviewer.getByLabel("理由").fill(`第 ${i + 1} 位评议员：事实清楚，依裁量基准提出意见。`);
    await reviewer.getByRole("button", { name: "提交意见" }).click();
    await expect(reviewer.locator("#my-seat")).toContainText("你已提交意见");
    await context.close();
    await api.dispose();
  }

  // the deadline passes; the agency closes the review: the panel agrees by majority
  await advance(official, 11);
  await signIn(official, "official.sthjj@example.cn");
  await official.goto(url);
  await hydrated(official);
  await official.getByRole("button", { name: "结束评议" }).click();
  await expect(official.locator("article.case header .tag").first()).toHaveText("待机关答复");
  await expect(official.getByTestId("panel-opinion")).toContainText(/同意拟处罚\s*（过半数）/);
  await expect(official.getByTestId("breakdown")).toContainText("5");

  // the agency's reply
  await hydrated(official);
  await official.getByLabel("采纳", { exact: true }).check();
  await official.locator("#reply-reasons").fill("采纳评议小组多数意见，维持拟处罚决定，罚款二万元。");
  await official.getByRole("button", { name: "公开答复" }).click();
  await expect(official.locator("article.case header .tag").first()).toHaveText("已答复");

  // the public page and its HTML source carry no personal data of the party
  await page.goto(url);
  await expect(page.getByTestId("reply")).toContainText("采纳");
  await expect(page.getByTestId("panel-opinion")).toContainText("同意拟处罚");
  await expect(page.locator(".opinions li")).toHaveCount(7);
  const html = await (await page.request.get(`${base}${url}`)).text();
  expect(html).toContain("某食品商行");
  for (const secret of PRIVATE) expect(html, secret).not.toContain(secret);
  await page.goto("/penalties");
  await expect(page.getByTestId("follow-table")).toContainText("市生态环境局");
  const list = await (await page.request.get(`${base}/penalties`)).text();
  for (const secret of PRIVATE) expect(list, secret).not.toContain(secret);
});
