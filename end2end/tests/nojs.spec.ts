import { expect, test } from "@playwright/test";
import { openProposalUrl, register, signIn, uniqueEmail } from "./helpers";

test.use({ javaScriptEnabled: false });

test("without JavaScript: register, sign in, comment, and see errors", async ({ page }) => {
  const email = uniqueEmail("nojs");
  await register(page, email, "无脚本用户", "nojs-password-1", false);
  await page.getByRole("button", { name: /^(退出|Sign out)$/ }).click();

  // a wrong password comes back as a message on the plain form
  await page.goto("/signin");
  await page.getByLabel(/邮箱/).fill(email);
  await page.getByLabel(/^密码$/).fill("wrong-password");
  await page.getByRole("button", { name: /^登录$/ }).click();
  await expect(page.locator("#password-error")).toHaveText(/邮箱或密码不正确/);

  await signIn(page, email, "nojs-password-1", false);
  const url = await openProposalUrl(page);
  await page.goto(`${url}?clause=2`);
  await expect(page.locator("#clause")).toHaveValue("2");
  const text = `无脚本提交 ${Date.now() % 1e8}`;
  await page.getByLabel(/意见内容/).fill(text);
  await page.getByRole("button", { name: /提交意见/ }).click();
  await expect(page.locator(".comment", { hasText: text })).toBeVisible();
  await expect(page.locator(".comment", { hasText: text })).toContainText("针对第 2 条");

  // an empty comment is refused with the rule, on the plain form too
  await page.getByRole("button", { name: /提交意见/ }).click();
  await expect(page.locator("#body-error")).toHaveText(/此项必填/);
});
