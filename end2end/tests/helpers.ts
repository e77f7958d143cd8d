import { APIRequestContext, expect, Page } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";

/** Where the local SMTP sink keeps what it receives (playwright.config.ts). */
const MAILDIR = path.join(__dirname, "..", "..", "target", "e2e-mail", "new");

/** The mails `to` has received, oldest first: the text of each (sent base64-encoded). */
function mailsTo(to: string): string[] {
  if (!fs.existsSync(MAILDIR)) return [];
  return fs
    .readdirSync(MAILDIR)
    .map((name) => path.join(MAILDIR, name))
    .map((file) => ({ file, raw: fs.readFileSync(file, "utf8"), at: fs.statSync(file).mtimeMs }))
    .filter(({ raw }) => new RegExp(`^X-RcptTo: ${to.replace(/[.+]/g, "\\$&")}$`, "mi").test(raw))
    .sort((a, b) => a.at - b.at)
    .map(({ raw }) => {
      const split = raw.search(/\r?\n\r?\n/);
      const head = raw.slice(0, split);
      const body = raw.slice(split).trim();
      return /Content-Transfer-Encoding:\s*base64/i.test(head) ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8") : body;
    });
}

/** Waits for mail number `count` to `to`; the link to this server in it. */
export async function linkMailedTo(to: string, count = 1): Promise<string> {
  let mails: string[] = [];
  await expect.poll(() => (mails = mailsTo(to)).length, { timeout: 20_000, message: `mail ${count} to ${to}` }).toBeGreaterThanOrEqual(count);
  const link = mails[count - 1].split(/\r?\n/).map((l) => l.trim()).find((l) => /^https?:\/\/.*\/account\/(verify|reset)\?token=/.test(l));
  expect(link, mails[count - 1]).toBeTruthy();
  return link!;
}

export const DEMO_PASSWORD = "minyi-demo-2026";

/** A `datetime-local` value in Beijing time (UTC+8), `days` from now at 09:00: forms
 * are filled relative to the server's clock, never with a fixed date. */
export function beijingInput(days: number): string {
  const t = new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000);
  return `${t.toISOString().slice(0, 10)}T09:00`;
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.cn`;
}

/** Waits until the WebAssembly has hydrated the page (client-side behaviour is live). */
export async function hydrated(page: Page) {
  const errors: string[] = [];
  const onConsole = (m: any) => { if (m.type() === "error") errors.push(m.text()); };
  const onError = (e: Error) => errors.push(e.message);
  page.on("console", onConsole);
  page.on("pageerror", onError);
  try {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true", { timeout: 30_000 });
  } catch (e) {
    throw new Error(`page ${page.url()} did not hydrate; browser errors: ${errors.join(" | ").slice(0, 2000)}\n${e}`);
  } finally {
    page.off("console", onConsole);
    page.off("pageerror", onError);
  }
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, js = true) {
  await page.goto("/signin");
  if (js) await hydrated(page);
  await page.getByLabel(/邮箱|E-mail/).fill(email);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}

export async function register(page: Page, email: string, name: string, password: string, js = true) {
  await page.goto("/register");
  if (js) await hydrated(page);
  await page.getByLabel(/邮箱|E-mail/).fill(email);
  await page.getByLabel(/公开显示的名字|Name shown publicly/).fill(name);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole("button", { name: /^(注册|Register)$/ }).click();
  await expect(page.getByTestId("register-sent")).toBeVisible();
  await verifyByMail(page, email, name, js);
}

/** Opens the link mailed to `email` and confirms the address (which signs in). */
export async function verifyByMail(page: Page, email: string, name: string, js = true, count = 1) {
  const link = await linkMailedTo(email, count);
  expect(link).toContain("/account/verify?token=");
  await page.goto(link);
  if (js) await hydrated(page);
  await page.getByRole("button", { name: /确认邮箱并登录|Confirm and sign in/ }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(name);
}

/** Registers through the server functions in `api` (its cookies kept) and confirms the
 * address by the mailed link, as a script or another client would. */
export async function registerByApi(api: APIRequestContext, email: string, password: string, name: string) {
  const json = { accept: "application/json" };
  const reg = await api.post("/api/register", { form: { email, password, display_name: name }, headers: json });
  expect(reg.status(), await reg.text()).toBeLessThan(400);
  const token = new URL(await linkMailedTo(email)).searchParams.get("token")!;
  const verified = await api.post("/api/verify_email", { form: { token }, headers: json });
  expect(verified.status(), await verified.text()).toBeLessThan(400);
}

/** The id of the open demo water-price proposal (opened 5 days before the server started). */
export async function openProposalUrl(page: Page): Promise<string> {
  await page.goto("/proposals?phase=open");
  const link = page.getByRole("link", { name: /居民生活用水价格/ });
  const href = await link.getAttribute("href");
  expect(href).toMatch(/^\/proposals\/\d+$/);
  return href!;
}

/** Forty random Chinese characters: keeps a test's text from being grouped, as a
 *  near-duplicate, with the same test's text from an earlier attempt. */
export function noise(): string {
  return Array.from({ length: 40 }, () => String.fromCharCode(0x4e00 + Math.floor(Math.random() * 20000))).join("");
}

/** A small valid PDF (checked by its bytes on the server, like any upload). */
export function pdf(extra = ""): Buffer {
  const objects = [
    `<< /Type /Catalog /Pages 2 0 R ${extra} >>`,
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}
