// Opens a page in headless Chromium, checks that its CSS applied and its script ran, and saves a
// screenshot. Usage: node render.mjs URL SCREENSHOT.png [CHROMIUM]. Prints one JSON line.
import { chromium } from "playwright-core";

const [url, shot, exe = "/usr/bin/chromium"] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: exe, args: ["--no-sandbox", "--headless=new"] });
try {
  const page = await browser.newPage();
  const resp = await page.goto(url, { waitUntil: "load", timeout: 30000 });
  const h1 = page.locator("h1#t");
  await h1.waitFor({ timeout: 10000 });
  const result = {
    status: resp.status(),
    title: await page.title(),
    text: await h1.textContent(),
    color: await h1.evaluate((el) => getComputedStyle(el).color),
    scriptRan: await h1.evaluate((el) => el.dataset.loaded === "yes"),
  };
  await page.screenshot({ path: shot });
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
