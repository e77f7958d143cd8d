import { APIRequestContext, expect, request, test } from "@playwright/test";
import { createHmac } from "crypto";
import { hydrated, linkMailedTo, register, signIn, uniqueEmail } from "./helpers";

/** RFC 6238 (HMAC-SHA1, 6 digits, 30 s), written here from the RFC, apart from the server's. */
function totp(secretBase32: string, atMs: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of secretBase32.replace(/=+$/, "")) {
    value = ((value << 5) | alphabet.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / 30)));
  const h = createHmac("sha1", Buffer.from(bytes)).update(counter).digest();
  const o = h[h.length - 1] & 15;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1_000_000).padStart(6, "0");
}

// The server trusts one proxy's X-Forwarded-For (playwright.config.ts), so a request
// context that sets the header comes from another address; the browser, which does not,
// comes from 127.0.0.1.
const base = `http://127.0.0.1:${process.env.E2E_PORT ?? "3100"}`;

async function from(address: string, userAgent = "Playwright API"): Promise<APIRequestContext> {
  return request.newContext({ baseURL: base, extraHTTPHeaders: { "x-forwarded-for": address, "user-agent": userAgent } });
}

async function apiSignIn(api: APIRequestContext, email: string, password: string): Promise<number> {
  const res = await api.post("/api/sign_in", { form: { email, password }, headers: { accept: "application/json" } });
  return res.status();
}

test("an attacker who guesses from another address is held back, and the owner still signs in", async ({ page }) => {
  const email = uniqueEmail("owner");
  const password = "lantern-orchard-river-9";
  await register(page, email, "账户主人", password);

  const attacker = await from("203.0.113.66");
  for (let i = 0; i < 5; i++) expect(await apiSignIn(attacker, email, `guess-${i}`)).toBe(422);
  // the sixth try waits, even with the right password
  const held = await attacker.post("/api/sign_in", { form: { email, password }, headers: { accept: "application/json" } });
  expect(held.status()).toBe(429);
  expect(Number(held.headers()["retry-after"])).toBeGreaterThan(0);
  // an e-mail nobody has gets the same answers
  const nobody = uniqueEmail("nobody");
  for (let i = 0; i < 5; i++) expect(await apiSignIn(attacker, nobody, `guess-${i}`)).toBe(422);
  expect(await apiSignIn(attacker, nobody, "guess")).toBe(429);
  await attacker.dispose();

  // the owner signs out and in again from their own address, unhindered
  await page.getByRole("button", { name: "退出", exact: true }).click();
  await signIn(page, email, password);
});

test("the account page lists where one is signed in, ends the other sessions, and changes the password", async ({ page }) => {
  const email = uniqueEmail("sessions");
  const password = "copper-meadow-violin-4";
  await register(page, email, "多设备用户", password);

  const phone = await from("198.51.100.20", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1");
  expect(await apiSignIn(phone, email, password)).toBeLessThan(400);

  await page.getByTestId("signed-in-as").click();
  await expect(page).toHaveURL(/\/account$/);
  await hydrated(page);
  const sessions = page.getByTestId("sessions").locator("li");
  await expect(sessions).toHaveCount(2);
  await expect(sessions.first()).toContainText("本设备");
  await expect(page.getByTestId("sessions")).toContainText("198.51.100.20");
  await expect(page.getByTestId("sessions")).toContainText("Safari · iPhone");

  await page.getByTestId("end-others").click();
  await expect(page.getByText("已退出 1 个登录")).toBeVisible();
  await expect(sessions).toHaveCount(1);
  expect(await (await phone.post("/api/viewer", { headers: { accept: "application/json" } })).text()).toBe("null");

  // the password change asks for the current one, and refuses a guessable new one
  await page.getByLabel("当前密码").fill("not-my-password");
  await page.getByLabel("新密码").fill("meadow-lantern-copper-8");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.locator("#current_password-error")).toHaveText(/当前密码不正确/);
  await page.getByLabel("当前密码").fill(password);
  await page.getByLabel("新密码").fill("12345678");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.locator("#new_password-error")).toHaveText(/太容易被猜到/);
  await page.getByLabel("新密码").fill("meadow-lantern-copper-8");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByTestId("password-changed")).toBeVisible();

  // the old password no longer works, the new one does
  expect(await apiSignIn(phone, email, password)).toBe(422);
  expect(await apiSignIn(phone, email, "meadow-lantern-copper-8")).toBeLessThan(400);
  await phone.dispose();
});

test("two-step sign-in: set up with an authenticator app, then signing in asks for its code", async ({ page }) => {
  const email = uniqueEmail("twostep");
  const password = "harbor-willow-granite-5";
  await register(page, email, "两步用户", password);
  await page.goto("/account");
  await hydrated(page);
  await page.getByTestId("two-step-begin").click();
  await expect(page.locator("svg.qr")).toBeVisible();
  const secret = (await page.getByTestId("two-step-secret").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel("验证码", { exact: true }).fill("000000" === totp(secret, Date.now()) ? "111111" : "000000");
  await page.getByRole("button", { name: "确认并开启" }).click();
  await expect(page.locator("#code-error")).toContainText("验证码不正确");
  await page.getByLabel("验证码", { exact: true }).fill(totp(secret, Date.now()));
  await page.getByRole("button", { name: "确认并开启" }).click();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await expect(page.getByTestId("two-step-on")).toContainText("10");

  // sign out; the password alone now asks for the code
  await page.getByRole("button", { name: "退出", exact: true }).click();
  await page.goto("/signin");
  await hydrated(page);
  await page.getByLabel(/邮箱|E-mail/).fill(email);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
  await expect(page.locator("#code-error")).toContainText("两步登录");
  // the next step's code: the one used to confirm cannot be used twice
  await page.getByLabel("验证码或恢复码").fill(totp(secret, Date.now() + 30_000));
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText("两步用户");
});

test("a forgotten password is reset by the link mailed to the address, and every session ends", async ({ page }) => {
  const email = uniqueEmail("forgot");
  const password = "tallow-juniper-harbour-3";
  await register(page, email, "健忘的人", password);
  const phone = await from("198.51.100.31");
  expect(await apiSignIn(phone, email, password)).toBeLessThan(400);

  await page.getByRole("button", { name: "退出", exact: true }).click();
  await page.goto("/signin");
  await hydrated(page);
  await page.getByRole("link", { name: "忘记密码？" }).click();
  await hydrated(page);
  await page.getByLabel("邮箱").fill(email);
  await page.getByRole("button", { name: "发送重设链接" }).click();
  await expect(page.getByTestId("reset-sent")).toBeVisible();
  // mail 1 verified the address; mail 2 holds the reset link
  const link = await linkMailedTo(email, 2);
  expect(link).toContain("/account/reset?token=");
  await page.goto(link);
  await hydrated(page);
  await page.getByLabel("新密码").fill("12345678");
  await page.getByRole("button", { name: "设置新密码" }).click();
  await expect(page.locator("#new_password-error")).toContainText("太容易被猜到");
  const fresh = "violet-anchor-meadow-88";
  await page.getByLabel("新密码").fill(fresh);
  await page.getByRole("button", { name: "设置新密码" }).click();
  await expect(page.getByTestId("reset-done")).toBeVisible();
  // the phone's session ended with the reset; the old password is refused, the new one works
  const mine = await phone.post("/api/viewer", { headers: { accept: "application/json" } });
  expect(await mine.text()).toBe("null");
  expect(await apiSignIn(phone, email, password)).toBe(422);
  await signIn(page, email, fresh);
  await phone.dispose();
});
