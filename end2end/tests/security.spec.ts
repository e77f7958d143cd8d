import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, hydrated, signIn } from "./helpers";

test("a cross-site form POST is refused with 403", async ({ page, baseURL }) => {
  await signIn(page, "zhang.wei@example.cn", DEMO_PASSWORD);
  // a page on another site that posts a comment with the victim's cookies
  await page.route("http://evil.example/**", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<form id="f" method="post" action="${baseURL}/api/post_comment">
               <input name="proposal_id" value="1"><input name="body" value="forged comment">
             </form><script>document.getElementById('f').submit()</script>`,
    }),
  );
  const response = page.waitForResponse((r) => r.url().endsWith("/api/post_comment"));
  await page.goto("http://evil.example/attack");
  const res = await response;
  expect(res.status()).toBe(403);
  await page.goto("/proposals/1");
  await expect(page.locator(".comment", { hasText: "forged comment" })).toHaveCount(0);
});

test("responses carry the security headers", async ({ request }) => {
  const res = await request.get("/");
  const csp = res.headers()["content-security-policy"];
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
});

test("a page served from the cache hydrates under its hash-based policy", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  // the first anonymous read renders and keeps the page; a read within the cache time
  // is served the kept copy (unless another test's write emptied the cache just then)
  let res = null;
  for (let i = 0; i < 5 && res?.headers()["x-minyi-cache"] !== "hit"; i++) {
    await page.request.get("/proposals/2"); // renders and keeps the page, without loading its wasm
    res = await page.goto("/proposals/2");
  }
  expect(res?.headers()["x-minyi-cache"]).toBe("hit");
  expect(res?.headers()["content-security-policy"]).toContain("'sha256-");
  expect(res?.headers()["content-security-policy"]).not.toContain("'nonce-");
  await hydrated(page);
  expect(violations).toEqual([]);
});
