import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, hydrated, signIn } from "./helpers";

test("the official publishes the feedback report, the counts add up, and adoption names the unmet gates", async ({ page }) => {
  await signIn(page, "official.jtj@example.cn", DEMO_PASSWORD);
  await page.goto("/proposals?phase=closed");
  await page.getByRole("link", { name: /地铁 9 号线/ }).click();
  await expect(page.getByRole("heading", { name: "决策程序清单" })).toBeVisible();
  const gates = page.locator("#gates");
  await expect(gates.locator(".gate-met")).toContainText("公开征求意见");
  await expect(gates.locator(".gate-unmet")).toContainText(["公布意见采纳情况", "社会稳定风险评估（经审查通过）"]);

  await page.getByRole("link", { name: "发布意见采纳情况" }).click();
  await hydrated(page);
  await page.getByLabel("总体说明").fill("共收到 2 条意见，已逐条研究。");
  const clause3 = page.locator("fieldset", { hasText: "第 3 条" });
  await clause3.getByLabel("采纳决定").selectOption("partly_adopted");
  await clause3.getByLabel("理由").fill("夜间施工时段调整为 22:30 以后禁止高噪声作业");
  const clause1 = page.locator("fieldset", { hasText: "第 1 条" });
  await clause1.getByLabel("采纳决定").selectOption("adopted");
  await page.getByRole("button", { name: "发布意见采纳情况" }).click();
  // a decision without a reason is refused, naming the field
  await expect(page.getByRole("alert").first()).toContainText("请修改");
  await expect(clause1.getByRole("alert")).toContainText("此项必填");
  await clause1.getByLabel("理由").fill("线路走向维持不变，站点名称采纳市民建议");
  await page.getByRole("button", { name: "发布意见采纳情况" }).click();

  const counts = page.getByTestId("feedback-counts");
  await expect(counts).toHaveText("共收到 2 条意见，来自 2 位公众，其中集中意见 0 组；采纳或部分采纳 2 项。");
  await expect(page.locator(".feedback-items")).toContainText("夜间施工时段调整为 22:30 以后禁止高噪声作业");
  await expect(gates.locator(".gate-met")).toContainText(["公开征求意见", "公布意见采纳情况"]);

  // a key project still needs its approved risk assessment: adoption is refused, with the reason
  await hydrated(page);
  await page.getByRole("button", { name: "通过决策" }).click();
  await expect(gates.getByRole("alert")).toContainText("尚有程序未完成，不能通过：社会稳定风险评估（经审查通过）");
});
