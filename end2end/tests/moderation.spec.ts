import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, hydrated, openProposalUrl, register, signIn, uniqueEmail } from "./helpers";

test("support, report, a moderator hides with a public reason, and the author is told", async ({ page }) => {
  const authorEmail = uniqueEmail("author");
  await register(page, authorEmail, "言辞激烈者", "author-pass-1");
  const url = await openProposalUrl(page);
  await page.goto(url);
  await hydrated(page);
  const text = `起草人都是骗子 ${Date.now() % 1e8}`;
  await page.getByLabel(/意见内容/).fill(text);
  await page.getByRole("button", { name: /提交意见/ }).click();
  await expect(page.locator(".comment", { hasText: text })).toBeVisible();
  await page.getByRole("button", { name: /^退出$/ }).click();
  await expect(page.getByRole("link", { name: /^登录$/ })).toBeVisible();

  // another citizen supports it once, then reports it
  await signIn(page, "liu.yang@example.cn", DEMO_PASSWORD);
  await page.goto(url);
  await hydrated(page);
  const comment = page.locator(".comment", { hasText: text });
  await comment.getByRole("button", { name: "支持" }).click();
  await expect(comment).toContainText("1 人支持");
  await expect(comment.getByRole("button", { name: "撤回支持" })).toBeVisible();
  await comment.locator("summary").click();
  await comment.getByPlaceholder(/举报理由/).fill("人身攻击");
  await comment.getByRole("button", { name: "举报" }).click();
  await expect(page.getByText("已举报，感谢。")).toBeVisible();
  await page.getByRole("button", { name: /^退出$/ }).click();
  await expect(page.getByRole("link", { name: /^登录$/ })).toBeVisible();

  // the moderator sees it first in the queue and hides it with a reason
  await signIn(page, "moderator@example.cn", DEMO_PASSWORD);
  await page.getByRole("link", { name: "意见审核" }).click();
  await hydrated(page);
  const reported = page.locator("section", { has: page.getByRole("heading", { name: "被举报的意见" }) });
  const item = reported.locator(".moderation-item", { hasText: text });
  await expect(item).toContainText("1 次举报");
  await item.getByLabel("公开的隐藏理由").fill("人身攻击，违反发言规则");
  await item.getByRole("button", { name: "隐藏" }).click();
  await expect(reported.locator(".moderation-item", { hasText: text })).toHaveCount(0);

  // everyone sees the reason, not the text
  await page.context().clearCookies();
  await page.goto(url);
  await expect(page.getByText("此意见已被内容管理员隐藏，理由：人身攻击，违反发言规则").first()).toBeVisible();
  await expect(page.locator(".comment", { hasText: text })).toHaveCount(0);

  // the author is told
  await signIn(page, authorEmail, "author-pass-1");
  await page.getByRole("link", { name: "我的通知" }).click();
  await expect(page.getByText(/已被隐藏，理由：人身攻击，违反发言规则/)).toBeVisible();
});
