import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, hydrated, signIn } from "./helpers";

test("a second version is published and the old comment stays on the old text", async ({ page }) => {
  await page.goto("/proposals?phase=open");
  const href = (await page.getByRole("link", { name: /紧密型城市医疗集团/ }).getAttribute("href"))!;

  await signIn(page, "chen.jing@example.cn", DEMO_PASSWORD);
  await page.goto(`${href}?clause=3`);
  await hydrated(page);
  const text = `起付线怎么算 ${Date.now() % 1e8}`;
  await page.getByLabel(/意见内容/).fill(text);
  await page.getByRole("button", { name: /提交意见/ }).click();
  await expect(page.locator(".comment", { hasText: text })).toContainText("针对第 3 条");
  await page.getByRole("button", { name: /^退出$/ }).click();
  await expect(page.getByRole("link", { name: /^登录$/ })).toBeVisible();

  // the health commission's official inserts a clause at the top: everything renumbers
  await signIn(page, "official.wjw@example.cn", DEMO_PASSWORD);
  await page.goto(href);
  await page.getByRole("link", { name: "发布新版本" }).click();
  await hydrated(page);
  const body = page.getByLabel(/草案正文/);
  const current = await body.inputValue();
  await body.fill(`第一条 新增：本方案所称医疗集团，是指以市级三级医院牵头组建的紧密型医疗联合体。\n\n${current.replace("第一条", "第一条之一")}`);
  await page.getByRole("button", { name: "发布新版本" }).click();

  // the clause-level diff: one added, the rest unchanged though renumbered
  await expect(page.getByRole("heading", { name: "第 1 版到第 2 版的修改" })).toBeVisible();
  await expect(page.locator(".diff-added")).toContainText("新增第 1 条");
  await expect(page.locator(".diff-unchanged").first()).toBeVisible();

  // the old comment still points at clause 3 of version 1
  await page.goto(href);
  await expect(page.getByText("当前为第 2 版")).toBeVisible();
  const comment = page.locator(".comment", { hasText: text });
  await expect(comment).toContainText("针对第 1 版第 3 条");
  await comment.getByRole("link", { name: "针对第 1 版第 3 条" }).click();
  await expect(page.getByText("第 1 版（当前为第 2 版）")).toBeVisible();
  await expect(page.locator("#clause-3")).toContainText("转诊的，医保报销比例不因转诊降低");
});
