// Opens the dashboard in headless Chromium, waits until it shows every node up and the file put,
// kills one node (SIGKILL to PID) and waits until the page shows it down. Saves a screenshot of
// each state. Usage: node dashboard.mjs URL ROOT PID SHOT_BEFORE.png SHOT_AFTER.png [CHROMIUM].
// Prints one JSON line.
import { chromium } from "playwright-core";

const [url, root, pid, before, after, exe = "/usr/bin/chromium"] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: exe, args: ["--no-sandbox", "--headless=new"] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const resp = await page.goto(url, { waitUntil: "load", timeout: 30000 });
  // Every node up and the file's row with its shards.
  await page.waitForFunction((root) => {
    const b = document.body.dataset;
    return b.nodes && b.nodes !== "0" && b.nodesUp === b.nodes && document.querySelector(`tr[data-root="${root}"]`);
  }, root, { timeout: 60000 });
  const first = await page.evaluate((root) => ({
    nodes: Number(document.body.dataset.nodes),
    up: Number(document.body.dataset.nodesUp),
    rows: document.querySelectorAll("#nodes tbody tr").length,
    fileHealthy: Number(document.querySelector(`tr[data-root="${root}"]`).dataset.healthy),
    shardBoxes: document.querySelectorAll(`tr[data-root="${root}"] .shard`).length,
    rtt: document.querySelector("#nodes tbody tr td:nth-child(3)").textContent,
  }), root);
  await page.screenshot({ path: before, fullPage: true });
  process.kill(Number(pid), "SIGKILL");
  await page.waitForFunction((n) => Number(document.body.dataset.nodesUp) === n - 1, first.nodes, { timeout: 60000 });
  const second = await page.evaluate((root) => ({
    up: Number(document.body.dataset.nodesUp),
    down: document.querySelectorAll('#nodes tbody tr[data-up="false"]').length,
    fileHealthy: Number(document.querySelector(`tr[data-root="${root}"]`).dataset.healthy),
  }), root);
  await page.screenshot({ path: after, fullPage: true });
  console.log(JSON.stringify({ status: resp.status(), title: await page.title(), first, second }));
} finally {
  await browser.close();
}
