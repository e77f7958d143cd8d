import { expect, Page } from "@playwright/test";

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
  await page.getByRole("button", { name: /注册并登录|Register and sign in/ }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(name);
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
