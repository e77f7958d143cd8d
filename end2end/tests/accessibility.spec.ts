import AxeBuilder from "@axe-core/playwright";
import { BrowserContext, expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, hydrated, openProposalUrl, signIn } from "./helpers";

// WCAG 2.1 AA, checked by axe-core on every main page, signed out and signed in, in
// Chinese and in English: no serious or critical violation. And every page fits a
// 360-pixel-wide phone screen without sideways scrolling (a screenshot of each is attached).

const PUBLIC_PAGES = [
  "/",
  "/?state=blocked&domain=pricing",
  "/proposals?phase=open",
  "/blocked",
  "/hearings",
  "/hearings/2/draw",
  "/penalties",
  "/projects",
  "/search?q=%E6%B0%B4%E4%BB%B7",
  "/signin",
  "/register",
  "/account/reset",
];
// the pages of each kind of staff, each signed in as the demo account that holds the role
const STAFF: [string, string[]][] = [
  ["official.jtj@example.cn", ["/proposals/new", "/penalties/new", "/projects", "/proposals?phase=closed"]],
  ["moderator@example.cn", ["/moderation"]],
  ["reviewer@example.cn", ["/reviews"]],
  ["organizer@example.cn", ["/hearings/2", "/hearings/2/applicants"]],
];
const SIGNED_IN_PAGES = ["/", "/account", "/notices"];

async function setLocale(context: BrowserContext, baseURL: string, lang: "zh-CN" | "en") {
  await context.addCookies([{ name: "minyi_lang", value: lang, url: baseURL }]);
}

async function check(page: Page, path: string, label: string) {
  await page.goto(path);
  await hydrated(page);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  expect(serious, `${label} ${path}`).toEqual([]);
}

async function fitsPhone(page: Page, path: string, name: string) {
  await page.goto(path);
  await hydrated(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await test.info().attach(`${name}.png`, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
  expect(overflow, `${path} scrolls sideways by ${overflow}px on a 360-px screen`).toBeLessThanOrEqual(0);
}

for (const lang of ["zh-CN", "en"] as const) {
  test(`axe-core finds no serious violation on the main pages, signed out and in (${lang})`, async ({ page, context, baseURL }) => {
    test.setTimeout(180_000);
    await setLocale(context, baseURL!, lang);
    const proposal = await openProposalUrl(page);
    for (const path of [...PUBLIC_PAGES, proposal]) await check(page, path, `signed out, ${lang}:`);
    await signIn(page, "zhang.wei@example.cn", DEMO_PASSWORD);
    for (const path of [...SIGNED_IN_PAGES, proposal]) await check(page, path, `signed in, ${lang}:`);
  });
}

for (const lang of ["zh-CN", "en"] as const) {
  test(`axe-core finds no serious violation on the staff pages (${lang})`, async ({ browser, baseURL }) => {
    test.setTimeout(240_000);
    for (const [email, paths] of STAFF) {
      const context = await browser.newContext({ baseURL });
      await setLocale(context, baseURL!, lang);
      const page = await context.newPage();
      await signIn(page, email, DEMO_PASSWORD);
      for (const path of paths) await check(page, path, `${email}, ${lang}:`);
      await context.close();
    }
  });
}

test("the staff pages fit a 360-pixel-wide phone screen", async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  for (const [email, paths] of STAFF) {
    const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signIn(page, email, DEMO_PASSWORD);
    for (const path of paths) await fitsPhone(page, path, `phone-${email.split("@")[0]}${path.replace(/[^a-z0-9]+/gi, "-")}`);
    await context.close();
  }
});

test("every main page fits a 360-pixel-wide phone screen", async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const proposal = await openProposalUrl(page);
  for (const path of [...PUBLIC_PAGES, proposal]) await fitsPhone(page, path, `phone${path.replace(/[^a-z0-9]+/gi, "-")}`);
  await signIn(page, "zhang.wei@example.cn", DEMO_PASSWORD);
  for (const path of SIGNED_IN_PAGES) await fitsPhone(page, path, `phone-signed-in${path.replace(/[^a-z0-9]+/gi, "-")}`);
  await context.close();
});
