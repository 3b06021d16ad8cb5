// Measures the release build in dist/ in headless Chromium:
// 1. first load: every file the browser fetches for the home screen, gzip -9 sizes summed;
// 2. decision to feedback: time from a key press to the feedback and next step being in the
//    DOM (stamped by a MutationObserver), and whether that happened before the next animation
//    frame, over many decisions.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';

const port = 4176;
const server = spawn('node', ['tests/e2e/static-server.mjs', 'dist', String(port)], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
const origin = `http://127.0.0.1:${port}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  const fetched = [];
  page.on('response', async (res) => {
    try { fetched.push({ url: res.url(), body: await res.body() }); } catch { /* redirects have no body */ }
  });
  await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
  await page.getByRole('heading', { level: 1, name: 'Thresholds' }).waitFor();
  let total = 0;
  let raw = 0;
  for (const f of fetched) {
    const gz = gzipSync(f.body, { level: 9 }).length;
    total += gz;
    raw += f.body.length;
    console.log(`  ${f.url.replace(origin, '')}: ${(f.body.length / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzip`);
  }
  const outside = fetched.filter((f) => !f.url.startsWith(origin) && !f.url.startsWith('data:'));
  console.log(`first load: ${fetched.length} files, ${(raw / 1024).toFixed(1)} KB raw, ${(total / 1024).toFixed(1)} KB gzip (budget 180 KB)`);
  console.log(`requests to other origins: ${outside.length}`);

  // Decision to feedback, measured inside the page.
  const samples = [];
  const where = [];
  let inFrames = 0;
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    await page.goto(`${origin}/#/case/imran?seed=${seed}`);
    await page.reload();
    await page.locator('#step-heading').waitFor();
    for (let i = 0; i < 30; i++) {
      const ended = await page.locator('#step-heading').evaluate((h) => h.textContent.startsWith('Ending'));
      if (ended) break;
      // When did the new step and its feedback reach the DOM (a MutationObserver stamps it),
      // and was that before the next animation frame, i.e. painted in the very next frame?
      const { ms, inFrame } = await page.evaluate(async (key) => {
        const turnEl = () => document.querySelector('[data-testid="turn"]');
        const before = turnEl().textContent;
        let t1 = null;
        const t0 = performance.now();
        const observer = new MutationObserver(() => {
          if (t1 === null && turnEl().textContent !== before && document.querySelector('.feedback')) t1 = performance.now();
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
        await new Promise((resolve) => requestAnimationFrame(() => resolve()));
        const inFrame = t1 !== null;
        while (t1 === null) await new Promise((resolve) => setTimeout(resolve, 0));
        observer.disconnect();
        return { ms: t1 - t0, inFrame };
      }, String(1 + (i % 2)));
      if (inFrame) inFrames += 1;
      samples.push(ms);
      where.push({ ms, seed, decision: i + 1 });
    }
  }
  samples.sort((a, b) => a - b);
  const slowest = where.sort((a, b) => b.ms - a.ms).slice(0, 3).map((w) => `${w.ms.toFixed(1)} ms (seed ${w.seed}, decision ${w.decision})`);
  const pct = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))].toFixed(2);
  console.log(`decision to feedback: ${samples.length} decisions, median ${pct(0.5)} ms, 95th percentile ${pct(0.95)} ms, max ${samples.at(-1).toFixed(2)} ms (one frame = 16.7 ms)`);
  console.log(`rendered before the next frame: ${inFrames} of ${samples.length} decisions`);
  console.log(`slowest decisions: ${slowest.join('; ')}`);
} finally {
  await browser.close();
  server.kill();
}
