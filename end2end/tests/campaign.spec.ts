import { expect, request, test } from "@playwright/test";
import { noise, registerByApi, uniqueEmail } from "./helpers";

test("50 identical comments show as one campaign of 50, with every member listed", async ({ page, baseURL }) => {
  // the environment draft of the demo set is open for comment
  await page.goto("/proposals?phase=open");
  const href = await page.getByRole("link", { name: /垃圾焚烧发电厂/ }).getAttribute("href");
  const letter = `反对扩建焚烧厂，请另行选址并公开环评全部数据。${noise()}`;
  // five citizens post ten copies each (the per-account limit is ten in ten minutes)
  for (let u = 0; u < 5; u++) {
    const api = await request.newContext({ baseURL });
    await registerByApi(api, uniqueEmail(`campaign${u}`), "campaign-pass-1", `联名市民${u}`);
    for (let i = 0; i < 10; i++) {
      const res = await api.post("/api/post_comment", {
        form: { proposal_id: href!.split("/").pop()!, body: letter, stance: "oppose" },
        headers: { accept: "application/json" },
      });
      expect(res.status(), await res.text()).toBe(200);
    }
    await api.dispose();
  }
  // one single voice after the campaign is not drowned
  await page.goto(href!);
  const entry = page.locator(".comment.campaign-entry", { hasText: letter });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText("共 50 条相同或相似的意见");
  await expect(page.locator(".comment", { hasText: letter })).toHaveCount(1);
  await entry.getByRole("link", { name: "查看全部" }).click();
  await expect(page.getByRole("heading", { name: "集中意见的全部内容" })).toBeVisible();
  await expect(page.locator(".comment", { hasText: letter })).toHaveCount(50);
});
