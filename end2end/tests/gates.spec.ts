import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, hydrated, pdf, signIn } from "./helpers";


async function signOut(page: Page) {
  await page.getByRole("button", { name: /^(退出|Sign out)$/ }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
}

/** The official submits a low-risk assessment and uploads its report. */
async function submitLowAssessment(page: Page, gates: ReturnType<Page["locator"]>) {
  await hydrated(page);
  await gates.locator("summary", { hasText: "提交社会稳定风险评估" }).click();
  await gates.getByLabel("风险等级").selectOption("low");
  await gates.getByLabel("评估方式").selectOption("expert_review");
  await gates.getByLabel("风险点").fill("限行初期部分通勤者出行不便");
  await gates.getByLabel("防范措施").fill("限行前一个月加密公交班次并开通定制公交");
  await gates.getByLabel("应急预案").fill("设立交通疏导专班，重大节假日暂停限行");
  await gates.getByRole("button", { name: "提交评估" }).click();
  const pending = gates.locator("[data-testid^=assessment-]").first();
  await expect(pending).toContainText("待审查");
  // an executable renamed .pdf is refused by its bytes, and nothing is stored
  await pending.getByLabel("上传评估报告").setInputFiles({ name: "报告.pdf", mimeType: "application/pdf", buffer: Buffer.from("MZ\x90\x00\x03\x00\x00\x00", "latin1") });
  await pending.getByRole("button", { name: "上传", exact: true }).click();
  await expect(page.getByTestId("file-error")).toContainText("文件未保存");
  await expect(gates.locator("[data-testid^=assessment-]").first().locator(".files")).toHaveCount(0);
  await gates.locator("[data-testid^=assessment-]").first().getByLabel("上传评估报告")
    .setInputFiles({ name: "稳评报告.pdf", mimeType: "application/pdf", buffer: pdf() });
  await gates.locator("[data-testid^=assessment-]").first().getByRole("button", { name: "上传", exact: true }).click();
  await expect(gates.locator("[data-testid^=assessment-]").first().locator(".files")).toContainText("稳评报告.pdf");
  await expect(gates.locator(".sha256").first()).toContainText(/SHA-256 [0-9a-f]{64}/);
}

/** A reviewer of another agency approves the newest assessment, with reasons. */
async function approveNewestAssessment(page: Page, gates: ReturnType<Page["locator"]>) {
  await hydrated(page);
  const item = gates.locator("[data-testid^=assessment-]").first();
  await item.getByLabel("理由（公开记录）").fill("风险点识别充分，防范措施可行，评定为低风险。");
  await item.getByRole("button", { name: "同意（评定为低风险）" }).click();
  await expect(gates.locator("[data-testid^=assessment-]").first()).toContainText("已通过");
}

test("a major decision on transport is refused adoption until its risk assessment and legality review are on file", async ({ page }) => {
  await signIn(page, "official.jtj@example.cn", DEMO_PASSWORD);
  await page.goto("/proposals?phase=closed");
  await page.getByRole("link", { name: /中心城区交通拥堵综合治理方案/ }).click();
  const gates = page.locator("#gates");
  await hydrated(page);
  await page.getByRole("button", { name: "通过决策" }).click();
  const refusal = gates.getByRole("alert");
  await expect(refusal).toContainText("社会稳定风险评估");
  await expect(refusal).toContainText("合法性审查");
  const url = page.url();

  await submitLowAssessment(page, gates);
  await signOut(page);

  // the reviewer's queue lists both, oldest first, with the legality review's working days
  await signIn(page, "reviewer@example.cn", DEMO_PASSWORD);
  await page.goto("/reviews");
  const rows = page.locator("table.queue tbody tr");
  await expect(rows.filter({ hasText: "中心城区交通拥堵" })).toHaveCount(2);
  await expect(rows.filter({ hasText: "合法性审查意见" }).first()).toContainText(/已过 \d+ 个工作日/);
  await page.goto(url);
  await approveNewestAssessment(page, gates);
  const review = gates.locator("[data-testid^=legality-]").first();
  await review.getByLabel("审查意见").selectOption("lawful_with_changes");
  await review.getByLabel("理由（公开记录）").fill("第二条限行措施应明确实施期限。");
  await review.getByRole("button", { name: "记录审查意见" }).click();
  await expect(gates.locator("[data-testid^=legality-]").first()).toContainText("修改后合法");
  await signOut(page);

  await signIn(page, "official.jtj@example.cn", DEMO_PASSWORD);
  await page.goto(url);
  await hydrated(page);
  await expect(gates.locator(".gate-unmet")).toHaveCount(0);
  await page.getByRole("button", { name: "通过决策" }).click();
  await expect(gates.locator(".tag-adopted").first()).toBeVisible();
  await page.reload();
  await expect(page.locator("#gates .tag-adopted").first()).toBeVisible();
  await expect(page.getByRole("button", { name: "通过决策" })).toHaveCount(0);
});

test("a pricing proposal lists the hearing report among its unmet gates", async ({ page }) => {
  await page.goto("/proposals?phase=open");
  await page.getByRole("link", { name: /居民生活用水价格/ }).click();
  await expect(page.locator("#gates .gate-unmet", { hasText: "举行听证并公布听证报告" })).toHaveCount(1);
  await expect(page.locator("#gates .gate-unmet", { hasText: "举行听证并公布听证报告" })).toContainText("举行听证会并公布听证报告");
});

test("a key project rated high risk cannot proceed; after a revised low assessment is approved it can", async ({ page }) => {
  await signIn(page, "official.jtj@example.cn", DEMO_PASSWORD);
  await page.goto("/projects");
  await page.getByRole("link", { name: "地铁 9 号线二期工程" }).click();
  await expect(page.getByTestId("project-status")).toHaveText("已暂停");
  const gates = page.locator("#gates");
  await expect(gates.locator(".gate-unmet")).toContainText("高风险");
  await hydrated(page);
  await page.getByRole("button", { name: "开始实施" }).click();
  await expect(gates.getByRole("alert")).toContainText("社会稳定风险评估");
  const url = page.url();

  await submitLowAssessment(page, gates);
  await expect(page.getByTestId("project-status")).toHaveText("评估中");
  await signOut(page);

  await signIn(page, "reviewer@example.cn", DEMO_PASSWORD);
  await page.goto(url);
  await approveNewestAssessment(page, gates);
  await signOut(page);

  await signIn(page, "official.jtj@example.cn", DEMO_PASSWORD);
  await page.goto(url);
  await expect(page.getByTestId("project-status")).toHaveText("已批准");
  await hydrated(page);
  await page.getByRole("button", { name: "开始实施" }).click();
  await expect(page.getByTestId("project-status")).toHaveText("实施中");
});
