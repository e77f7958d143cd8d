import { expect, test } from "@playwright/test";
import { hydrated, openProposalUrl, register, signIn, uniqueEmail } from "./helpers";

test("register, sign out, sign in, and comment on clause 3 with a stance (JavaScript on)", async ({ page }) => {
  const email = uniqueEmail("citizen");
  await register(page, email, "周敏", "zhoumin-pass-1");
  await page.getByRole("button", { name: /^(退出|Sign out)$/ }).click();
  await expect(page.getByRole("link", { name: /^(登录|Sign in)$/ })).toBeVisible();
  await signIn(page, email, "zhoumin-pass-1");

  const url = await openProposalUrl(page);
  await page.goto(url);
  await hydrated(page);
  // hydrating keeps the text the server rendered (the hydration data leaves it out)
  const emptyBodies = () =>
    page.locator(".clause-text, .comment-body").evaluateAll((els) => els.filter((e) => e.innerHTML.trim() === "").length);
  await expect(page.locator("#clause-1 .clause-text")).not.toBeEmpty();
  expect(await emptyBodies()).toBe(0);
  await page.locator("#clause-3").getByRole("link", { name: /就此条提意见|Comment on this clause/ }).click();
  await expect(page.locator("#clause")).toHaveValue("3");
  await page.getByRole("radio", { name: /^(反对|Oppose)$/ }).check();
  const text = `阶梯水量偏少 ${Date.now() % 1e8}`;
  await page.getByLabel(/意见内容|Your comment/).fill(text);
  // the length limit is shown while typing
  await expect(page.getByText(/剩余 \d+ 字|\d+ characters left/)).toContainText(String(5000 - [...text].length));
  await page.getByRole("button", { name: /提交意见|Submit comment/ }).click();
  await expect(page.getByRole("status")).toBeVisible();
  const comment = page.locator(".comment", { hasText: text });
  await expect(comment).toBeVisible();
  await expect(comment).toContainText("周敏");
  await expect(comment).toContainText(/反对|Oppose/);
  await expect(comment).toContainText(/针对第 3 条|On clause 3/);
  // the page refetched its data whole: every clause and comment still has its text
  await expect(comment.locator(".comment-body")).toContainText(text);
  expect(await emptyBodies()).toBe(0);

  // everyone sees it, signed in or not
  await page.context().clearCookies();
  await page.goto(url);
  await expect(page.locator(".comment", { hasText: text })).toBeVisible();
});

test("bad input is answered next to the field, in the chosen language", async ({ page }) => {
  await page.goto("/register");
  await hydrated(page);
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await hydrated(page);
  await page.getByLabel("E-mail").fill("not-an-email");
  await page.getByLabel("Name shown publicly").fill("x");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Register", exact: true }).click();
  await expect(page.locator("#email-error")).toHaveText(/valid e-mail/);
  await expect(page.locator("#display_name-error")).toHaveText(/At least 2/);
  await expect(page.locator("#password-error")).toHaveText(/At least 8/);
  await expect(page.getByLabel("E-mail")).toHaveAttribute("aria-invalid", "true");
  // back to Chinese
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
});
