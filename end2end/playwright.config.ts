import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium: Playwright's own browser download cannot work on these machines.
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const port = process.env.E2E_PORT ?? "3100";
const baseURL = process.env.BASE_URL ?? `http://127.0.0.1:${port}`;
const binary = process.env.MINYI_BIN ?? "target/debug/minyi";
export const hearingsPort = process.env.E2E_HEARINGS_PORT ?? "3101";
// The local SMTP sink (Python's aiosmtpd, Debian's python3-aiosmtpd): both servers send
// their mails there, and the journeys read the links from its Maildir (tests/helpers.ts).
export const smtpPort = process.env.E2E_SMTP_PORT ?? "2525";

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  // one retry: a journey that fails twice fails the run; one that passes on retry is reported as flaky
  retries: 1,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: chromium,
          args: [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
          ],
        },
      },
    },
  ],
  // A fresh database with the demo data for every run; started from the workspace root.
  // Every journey comes from one address and several sign in as the same demo official
  // within a minute, so the sign-in limits are raised here (the HTTP tests hold them).
  // The hearing journey spans weeks: it runs on a second server of its own, whose clock
  // it moves forward (`--test-clock`, loopback only), so the other journeys' clock stays
  // the real one.
  webServer: [
    {
      command: `rm -rf target/e2e-mail && /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:${smtpPort} -c aiosmtpd.handlers.Mailbox target/e2e-mail`,
      cwd: "..",
      port: Number(smtpPort),
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command:
        `rm -rf target/e2e-data && ${binary} --data-dir target/e2e-data --log-level warn serve ` +
        `--bind 127.0.0.1:${port} --site-root target/site --demo-if-empty --trust-forwarded-for --signin-per-ip 1000 --register-per-ip 1000 --comments-per-ip 100000 ` +
        `--smtp-url smtp://127.0.0.1:${smtpPort} --public-url ${baseURL}`,
      cwd: "..",
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command:
        `rm -rf target/e2e-hearings && ${binary} --data-dir target/e2e-hearings --log-level warn serve ` +
        `--bind 127.0.0.1:${hearingsPort} --site-root target/site --demo-if-empty --test-clock --signin-per-ip 1000 --register-per-ip 1000 ` +
        `--smtp-url smtp://127.0.0.1:${smtpPort} --public-url http://127.0.0.1:${hearingsPort}`,
      cwd: "..",
      url: `http://127.0.0.1:${hearingsPort}/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
