// The review page on a big import, in Chromium: `node bench/review-page.mjs
// [rows]` (default 1,000,000). Starts the Node host, uploads a generated CSV
// that needs review (errors block submitting), opens review_url, and prints
// how long the page took to be ready (download, session opened in the Web
// Worker) and how smoothly the grid scrolls: 240 animation frames, each
// scrolling 37 rows further, with the frame times' median, p95 and max.
import { launchBrowser } from '../tests/support/browser.mjs';
import { startHost } from '../tests/support/host.mjs';

const rows = Number(process.argv[2] ?? 1_000_000);
const host = await startHost({ env: { SLUICE_API_KEYS: 'acme:acme-key', SLUICE_RATE_LIMITS: 'off' } });
const headers = { 'x-dromo-license-key': 'acme-key', 'content-type': 'application/json' };
try {
  const fields = [
    { key: 'id', label: 'id', type: 'number', validators: [{ validate: 'unique' }] },
    { key: 'email', label: 'email', type: 'email' },
    { key: 'name', label: 'name', validators: [{ validate: 'required' }] },
    { key: 'amount', label: 'amount', type: 'number' },
  ];
  const created = await (await fetch(`${host.url}/api/v1/headless/imports/`, {
    method: 'POST', headers,
    body: JSON.stringify({ fields, settings: { invalidDataBehavior: 'BLOCK_SUBMIT' }, original_filename: 'big.csv' }),
  })).json();
  const lines = ['id,email,name,amount'];
  for (let i = 0; i < rows; i++) lines.push(`${i},user${i}@example.com,${i % 997 === 0 ? '' : `Person ${i}`},${i % 1000}.5`);
  const file = `${lines.join('\n')}\n`;
  let started = performance.now();
  await fetch(created.upload, { method: 'PUT', body: file });
  let record;
  for (;;) {
    record = await (await fetch(`${host.url}/api/v1/headless/imports/${created.id}/`, { headers })).json();
    if (!['PENDING', 'RUNNING', 'AWAITING_UPLOAD'].includes(record.status)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const processed = (performance.now() - started) / 1000;
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  started = performance.now();
  await page.goto(record.review_url);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 300000 });
  const ready = (performance.now() - started) / 1000;
  await page.getByRole('button', { name: '3. Data' }).click();
  await page.waitForSelector('.cell');
  const frames = await page.evaluate(() => new Promise((resolve) => {
    const body = document.getElementById('grid-body');
    const times = [];
    let last = performance.now();
    const step = (now) => {
      times.push(now - last);
      last = now;
      body.scrollTop += 37 * 30;
      if (times.length < 240) requestAnimationFrame(step);
      else resolve(times.slice(1));
    };
    requestAnimationFrame(step);
  }));
  const drawnRows = await page.locator('.grid-row').count();
  frames.sort((a, b) => a - b);
  const at = (q) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))].toFixed(1);
  console.log(`review page, ${rows} rows (${(file.length / 1e6).toFixed(1)} MB): processed by the host in ${processed.toFixed(1)} s ` +
    `(${record.status}); page ready in ${ready.toFixed(1)} s; scrolling: frame median ${at(0.5)} ms, p95 ${at(0.95)} ms, ` +
    `max ${at(1)} ms over ${frames.length} frames; ${drawnRows} rows in the DOM`);
  await browser.close();
} finally {
  await host.stop();
}
