// Screenshots of the main pages on a phone and a desktop viewport, for looking at
// what people see: `node end2end/shots.mjs [base-url] [out-dir]`.
import { chromium } from "@playwright/test";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const out = process.argv[3] ?? "/tmp/shots";
const pages = (process.env.SHOT_PAGES ?? "/,/proposals/1,/signin,/register,/proposals?phase=closed").split(",");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"],
});
for (const [name, viewport] of [["phone", { width: 390, height: 844 }], ["desktop", { width: 1280, height: 900 }]]) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  if (process.env.SHOT_COOKIE) {
    const [k, v] = process.env.SHOT_COOKIE.split("=");
    await context.addCookies([{ name: k, value: v, url: base }]);
  }
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") console.log(`[${name}] console error: ${m.text()}`); });
  for (const path of pages) {
    await page.goto(base + path);
    await page.waitForSelector("body[data-hydrated=true]", { timeout: 20000 }).catch(() => console.log(`not hydrated: ${path}`));
    const file = `${out}/${name}${path.replace(/[^a-z0-9]+/gi, "_")}.png`;
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
  }
  await context.close();
}
await browser.close();
