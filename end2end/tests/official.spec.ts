import { expect, test } from "@playwright/test";
import { beijingInput, DEMO_PASSWORD, hydrated, noise, openProposalUrl, register, signIn, uniqueEmail } from "./helpers";

test("an official drafts, previews and publishes, with the 30-day rule enforced", async ({ page }) => {
  await signIn(page, "official.jtj@example.cn", DEMO_PASSWORD);
  await page.getByRole("link", { name: /发布草案/ }).click();
  await expect(page.getByRole("heading", { name: /发布征求意见草案/ })).toBeVisible();
  await hydrated(page);
  const title = `公交线网优化方案 ${Date.now()}`;
  await page.getByLabel(/^标题$/).fill(title);
  await page.getByLabel(/^类别$/).selectOption("major_decision");
  await page.getByLabel(/^交通$/).check();
  await page.getByLabel(/草案正文/).fill("# 总则\n\n第一条 优化公交线网。\n\n第二条 新增社区巴士线路 12 条。\n\n第三条 末班车延长至 23:00。");
  await page.getByLabel(/开始时间/).fill(beijingInput(1));
  await page.getByLabel(/截止时间/).fill(beijingInput(10));
  await page.getByRole("button", { name: /保存草稿并预览/ }).click();
  // nine days without a reason: refused, naming the rule
  await expect(page.locator("#closes_at-error")).toContainText("第十五条");
  await page.getByLabel(/截止时间/).fill(beijingInput(40));
  await page.getByRole("button", { name: /保存草稿并预览/ }).click();
  // the preview is the page as the public will see it, marked as a private draft
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText(/草稿预览：尚未公开/)).toBeVisible();
  await expect(page.locator("#clause-3")).toContainText("末班车延长至 23:00");
  const previewUrl = page.url();
  await hydrated(page);
  await page.getByRole("button", { name: "确认发布" }).click();
  await expect(page.getByText(/草稿预览：尚未公开/)).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  // now public
  await page.context().clearCookies();
  await page.goto(previewUrl);
  await expect(page.locator("#clause-3")).toContainText("末班车延长至 23:00");
  await expect(page.getByText("市交通运输局").first()).toBeVisible();
});

test("a citizen is refused publishing", async ({ page }) => {
  await register(page, uniqueEmail("nopublish"), "普通市民", "citizen-pass-1");
  await page.goto("/proposals/new");
  await expect(page.getByRole("alert")).toContainText(/没有执行此操作所需的角色：机关工作人员/);
  await expect(page.getByLabel(/^标题$/)).toHaveCount(0);
  const status = await page.evaluate(async () => {
    const res = await fetch("/api/publish_proposal", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: "title=x&kind=regulation&body=y&opens_at=2026-12-01T09:00&closes_at=2027-01-05T09:00",
    });
    return res.status;
  });
  expect(status).toBe(403);
});

test("an XSS payload in a draft body and in a comment is shown inert", async ({ page }) => {
  let dialogs = 0;
  page.on("dialog", (d) => { dialogs++; void d.dismiss(); });
  await signIn(page, "official.fgw@example.cn", DEMO_PASSWORD);
  await page.goto("/proposals/new");
  await hydrated(page);
  const title = `安全测试草案 ${Date.now()}`;
  await page.getByLabel(/^标题$/).fill(title);
  await page.locator("input[value=pricing]").check();
  await page.getByLabel(/草案正文/).fill(
    "第一条 <script>window.__xss = 1; alert(1)</script> 正文。\n\n" +
    "第二条 [点我](javascript:alert(2)) 和 <img src=x onerror=\"window.__xss=2\">\n\n" +
    "第三条 [政府网](https://www.gov.cn)",
  );
  await page.getByLabel(/开始时间/).fill(beijingInput(1));
  await page.getByLabel(/截止时间/).fill(beijingInput(40));
  await page.getByRole("button", { name: /保存草稿并预览/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await hydrated(page);
  await page.getByRole("button", { name: "确认发布" }).click();
  await expect(page.getByText(/草稿预览：尚未公开/)).toHaveCount(0);
  await expect(page.locator("#clause-1")).toContainText("<script>window.__xss = 1; alert(1)</script>");
  await expect(page.locator("#clause-1 script")).toHaveCount(0);
  await expect(page.locator("#clause-2 img")).toHaveCount(0);
  await expect(page.locator("#clause-2 a[href^='javascript']")).toHaveCount(0);
  await expect(page.locator("#clause-3 a[href='https://www.gov.cn']")).toHaveAttribute("rel", /noopener/);

  // and in a comment
  await page.getByRole("button", { name: /^退出$/ }).click();
  await expect(page.getByRole("link", { name: /^登录$/ })).toBeVisible();
  await register(page, uniqueEmail("xss"), "测试市民", "xss-pass-12");
  const url = await openProposalUrl(page);
  await page.goto(url);
  await hydrated(page);
  const payload = `<img src=x onerror="window.__xss=3"><script>alert(3)</script> ${noise()}`;
  await page.getByLabel(/意见内容/).fill(payload);
  await page.getByRole("button", { name: /提交意见/ }).click();
  const comment = page.locator(".comment", { hasText: payload });
  await expect(comment).toBeVisible();
  await expect(comment.locator("img, script")).toHaveCount(0);
  await page.reload();
  await expect(page.locator(".comment", { hasText: payload })).toBeVisible();
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  expect(dialogs).toBe(0);
});
