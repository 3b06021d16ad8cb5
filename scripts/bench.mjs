// Measures the release build in dist/ (or in $BENCH_DIST, to compare two builds) in headless
// Chromium (never a timed test):
// 1. first load: every file the browser fetches for the home screen, gzip -9 sizes summed,
//    in kB of 1000 bytes (the stricter reading of the 180 KB budget);
// 2. decision to feedback, two ways, over every bundled case and several seeds, with trusted
//    key presses:
//    - DOM: time from the key press to the feedback and the next step being in the DOM
//      (stamped by a MutationObserver), and whether that happened before the next animation
//      frame;
//    - paint: the browser's own Event Timing entry for the key press (input to next paint,
//      in 8 ms steps; entries start at 16 ms, so a decision with no entry painted within 16 ms).
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { readdirSync, readFileSync } from 'node:fs';

const port = 4176;
const server = spawn('node', ['tests/e2e/static-server.mjs', process.env.BENCH_DIST ?? 'dist', String(port)], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
const origin = `http://127.0.0.1:${port}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const kb = (n) => (n / 1000).toFixed(1);
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  page.on('console', (m) => { if (m.type() === 'error') console.log('console', m.text()); });
  const fetched = [];
  page.on('response', async (res) => {
    try { fetched.push({ url: res.url(), body: await res.body() }); } catch { /* redirects have no body */ }
  });
  await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
  await page.getByRole('heading', { level: 1, name: 'Thresholds' }).waitFor();
  await page.locator('.case-card').first().waitFor();
  let total = 0;
  let raw = 0;
  for (const f of fetched) {
    const gz = gzipSync(f.body, { level: 9 }).length;
    total += gz;
    raw += f.body.length;
    console.log(`  ${f.url.replace(origin, '')}: ${kb(f.body.length)} kB raw, ${kb(gz)} kB gzip`);
  }
  const outside = fetched.filter((f) => !f.url.startsWith(origin) && !f.url.startsWith('data:'));
  const cases = await page.locator('.case-card[data-case]').evaluateAll((cs) => cs.map((c) => c.dataset.case));
  console.log(`first load: ${fetched.length} files, ${kb(raw)} kB raw, ${kb(total)} kB gzip (${(total / 1024).toFixed(1)} KiB; budget 100 KB), ${cases.length} cases bundled: ${cases.join(', ')}`);
  console.log(`requests to other origins: ${outside.length}`);
  // Each case is its own file, fetched when the case is opened: not part of the first load.
  const dist = process.env.BENCH_DIST ?? 'dist';
  let over = [];
  for (const name of readdirSync(`${dist}/cases`).sort()) {
    const body = readFileSync(`${dist}/cases/${name}`);
    const gz = gzipSync(body, { level: 9 }).length;
    // A compiled case (id.hash.bin, not the area, the rubrics or the law page) has a budget.
    const isCase = /\.bin$/.test(name) && !/^(area|rubrics|law)\./.test(name);
    if (isCase && gz > 15000) over.push(name);
    console.log(`  case file ${name}: ${kb(body.length)} kB raw, ${kb(gz)} kB gzip (fetched when opened${isCase ? '; budget 15 kB' : ''})`);
  }
  console.log(`compiled cases over their 15 kB budget: ${over.length ? over.join(', ') : 'none'}`);

  // Pass 1, DOM: a key press dispatched inside the page; a MutationObserver stamps when the
  // feedback and the next step are in the DOM, and whether before the next animation frame.
  const dom = [];
  let inFrames = 0;
  const open = async (id, seed) => {
    await page.goto(`${origin}/#/case/${id}?mode=self-paced&seed=${seed}`);
    await page.reload();
    await page.locator('#step-heading').waitFor();
    await page.waitForTimeout(300);
  };
  // After a decision the feedback comes first; N goes on to the next step (not timed).
  const onwards = async () => {
    if (await page.locator('#next-button').count()) {
      await page.keyboard.press('n');
      await page.locator('#step-heading').waitFor();
    }
  };
  const ended = async () => (await page.locator('#step-heading').textContent()).startsWith('Ending');
  for (const id of cases) {
    for (const seed of [1, 2, 3]) {
      await open(id, seed);
      for (let i = 0; i < 40 && !(await ended()); i++) {
        const { ms, inFrame } = await page.evaluate(async () => {
          const turnEl = () => document.querySelector('[data-testid="turn"]');
          const before = turnEl().textContent;
          let t1 = null;
          const t0 = performance.now();
          const observer = new MutationObserver(() => {
            if (t1 === null && turnEl().textContent !== before && document.querySelector('#feedback-region .feedback')) t1 = performance.now();
          });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
          window.dispatchEvent(new KeyboardEvent('keydown', { key: '1', bubbles: true }));
          await new Promise((resolve) => requestAnimationFrame(() => resolve()));
          const inFrame = t1 !== null;
          const deadline = t0 + 5000;
          while (t1 === null && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 0));
          observer.disconnect();
          return { ms: t1 === null ? NaN : t1 - t0, inFrame };
        });
        if (Number.isNaN(ms)) throw new Error(`${id} seed ${seed}: no feedback within 5 s after decision ${i + 1}`);
        dom.push(ms);
        if (inFrame) inFrames += 1;
        await page.waitForTimeout(60);
        await onwards();
      }
    }
  }
  dom.sort((a, b) => a - b);
  const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  console.log(`decision to feedback in the DOM: ${dom.length} decisions, median ${pct(dom, 0.5).toFixed(1)} ms, 95th percentile ${pct(dom, 0.95).toFixed(1)} ms, max ${dom.at(-1).toFixed(1)} ms; ${inFrames} of ${dom.length} in the DOM before the next frame`);

  // Pass 2, paint: real (trusted) key presses and nothing else running in the page; the
  // browser's Event Timing entries give input to next paint, in 8 ms steps, from 16 ms up.
  const paint = [];
  let decisions = 0;
  for (const id of cases) {
    for (const seed of [1, 2, 3]) {
      await open(id, seed);
      await page.evaluate(() => {
        window.__paint = [];
        new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.name === 'keydown') window.__paint.push(e.duration); })
          .observe({ type: 'event', durationThreshold: 16 });
      });
      for (let i = 0; i < 40 && !(await ended()); i++) {
        // Only the decision's key press is counted, not the N that goes on afterwards.
        const mark = await page.evaluate(() => window.__paint.length);
        await page.keyboard.press('1');
        decisions += 1;
        await page.waitForTimeout(120);
        paint.push(...(await page.evaluate((m) => window.__paint.slice(m), mark)));
        await onwards();
        await page.waitForTimeout(60);
      }
    }
  }
  const late = paint.filter((d) => d > 16).sort((a, b) => a - b);
  console.log(`decision to next paint (Event Timing): ${decisions - late.length} of ${decisions} painted within a frame (16 ms); later: ${late.length ? late.join(', ') + ' ms' : 'none'}`);

  // Opening a case from the home screen once it has been opened before (its file, the area's
  // and the styles are then held): click to its first step on screen.
  // The first open after a fresh load of the home screen also starts the case player (the
  // second program: see src/lib.rs), its files held by the browser from earlier visits.
  const opens = [];
  const firstOpens = [];
  const openFromHome = (caseId) => page.evaluate(async (caseId) => {
    const t0 = performance.now();
    document.querySelector(`.case-card[data-case="${caseId}"] .start a`).click();
    while (!document.querySelector('#step-heading')) await new Promise((r) => requestAnimationFrame(r));
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  }, caseId);
  for (const id of cases) {
    await page.goto(`${origin}/`);
    await page.locator(`.case-card[data-case="${id}"] .start a`).waitFor();
    firstOpens.push(await openFromHome(id));
    for (let i = 0; i < 3; i++) {
      await page.getByRole('link', { name: 'All cases' }).first().click();
      await page.locator(`.case-card[data-case="${id}"] .start a`).waitFor();
      opens.push(await openFromHome(id));
    }
  }
  opens.sort((a, b) => a - b);
  firstOpens.sort((a, b) => a - b);
  console.log(`opening a case from a freshly loaded home screen (starts the case player), click to first step painted: ${firstOpens.length} opens, median ${pct(firstOpens, 0.5).toFixed(0)} ms, max ${firstOpens.at(-1).toFixed(0)} ms`);
  console.log(`opening a case already opened once, click to first step painted: ${opens.length} opens, median ${pct(opens, 0.5).toFixed(0)} ms, max ${opens.at(-1).toFixed(0)} ms (aim: 100 ms)`);

  // A deep link to a case on a slow phone: 4x CPU slowdown and Lighthouse's slow 4G (150 ms
  // round trip, 1.6 Mbit/s down), from a cold start to the still of its first step on screen
  // (inert, shown while the player loads) and to its first choice that works (the player's).
  const slow = await browser.newContext();
  const slowPage = await slow.newPage();
  const cdp = await slow.newCDPSession(slowPage);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 200000, uploadThroughput: 93750 });
  await slowPage.goto(`${origin}/#/case/imran?mode=self-paced&seed=2013`);
  await slowPage.locator('#app [data-still] button.choice').first().waitFor({ timeout: 60000 });
  const seen = await slowPage.evaluate(() => performance.now());
  await slowPage.locator('#app > :not([data-loader]) button.choice').first().waitFor({ timeout: 60000 });
  const clickable = await slowPage.evaluate(() => performance.now());
  console.log(`deep link to a case, 4x CPU slowdown and slow 4G: first step on screen (the still) at ${(seen / 1000).toFixed(1)} s, first choice clickable at ${(clickable / 1000).toFixed(1)} s`);
  await slow.close();
} finally {
  await browser.close();
  server.kill();
}
