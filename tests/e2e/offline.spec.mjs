// Offline, after one visit (issue 13): the service worker caches every file of the build, and a
// new build waits until the trainee chooses to use it, keeping their progress.
import { test, expect } from '@playwright/test';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { axeViolations, gotoCase, pdfText, playPath, watchErrors, BUNDLED, IMRAN_GOOD } from './helpers.mjs';

const root = new URL('../..', import.meta.url).pathname;

/** Waits until this page is controlled by a service worker that has cached the build. */
async function controlled(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}

test('after one visit, everything works with no network: every case, a whole run, the law, printing', async ({ page, context }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expect(page.locator('.case-card[data-case="tom"]')).toBeVisible();
  await controlled(page);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Thresholds' })).toBeVisible();
  expect(BUNDLED.length).toBeGreaterThanOrEqual(7);
  for (const { id, first } of BUNDLED) {
    await gotoCase(page, `/#/case/${id}?mode=self-paced&seed=2013`);
    await expect(page.locator('#step-heading')).toContainText(first);
  }
  const decisions = await playPath(page, IMRAN_GOOD);
  expect(decisions).toBeGreaterThan(8);
  await expect(page.locator('.debrief-summary')).toBeVisible();
  await expect(page.locator('#section-chart')).toHaveCount(1);
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  const { text } = await pdfText(await page.pdf({ format: 'A4' }));
  expect(text).toContain('Timeline');
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the record (JSON)' }).click()]);
  expect(JSON.parse(readFileSync(await json.path(), 'utf8')).length).toBeGreaterThan(decisions);
  await page.goto('/#/law');
  await expect(page.getByTestId('framework')).not.toBeEmpty();
  expect(await axeViolations(page)).toEqual([]);
  // The authoring screen too: its worker, and a framework to try with every case re-checked.
  await page.goto('/#/your-cases');
  const tom = readFileSync(`${root}scenarios/tom.md`, 'utf8');
  await page.getByRole('textbox', { name: /Case file text/ }).fill(tom);
  await expect(page.getByTestId('desk-status')).toHaveText('new-case.md: no problems.');
  await page.getByRole('button', { name: 'Scotland', exact: true }).click();
  // (Every case is re-checked against the area: seconds of work on two cores; see desk.spec.)
  await expect(page.locator('#desk-area-trial')).toContainText('scenarios/tom.md: every level statement holds.', { timeout: 30_000 });
  expect(errors).toEqual([]);
});

test('a new build waits its turn, says so, and takes over without losing a save', async ({ page }) => {
  const errors = watchErrors(page);
  const deployed = `${root}target/deployed.txt`;
  const next = `${root}target/dist-next`;
  writeFileSync(deployed, `${root}dist`);
  // "The next build": the same app with a changed page, so its service worker differs.
  rmSync(next, { recursive: true, force: true });
  cpSync(`${root}dist`, next, { recursive: true });
  writeFileSync(`${next}/index.html`, readFileSync(`${next}/index.html`, 'utf8').replace('<title>Thresholds</title>', '<title>Thresholds</title><!-- next -->'));
  writeFileSync(`${next}/sw.js`, readFileSync(`${next}/sw.js`, 'utf8').replace(/const VERSION = '([^']+)'/, "const VERSION = '$1-next'"));
  try {
    await gotoCase(page, 'http://127.0.0.1:4177/#/case/tom?mode=self-paced&seed=5');
    await expect(page.locator('#step-heading')).toBeVisible();
    await controlled(page);
    for (const n of ['1', '2']) {
      await page.keyboard.press('1');
      await expect(page.getByTestId('turn')).toHaveText(n);
      await page.keyboard.press('n');
    }
    const before = await page.locator('#step-heading').textContent();
    // The address follows the run a paint after each decision (see ARCHITECTURE.md, "Speed").
    await expect(page).toHaveURL(/path=[^&,]+,[^&,]+$/);
    // The new build is deployed. The next load finds it; it installs and waits.
    writeFileSync(deployed, next);
    await page.reload();
    const offer = page.locator('#new-version');
    await expect(offer).toContainText('A new version of Thresholds is ready');
    // Still the version the trainee started on, at the same step, with the same progress.
    await expect(page.locator('#step-heading')).toHaveText(before);
    await expect(page.getByTestId('turn')).toHaveText('2');
    expect(await page.evaluate(() => caches.keys())).toHaveLength(2);
    expect(await axeViolations(page)).toEqual([]);
    await Promise.all([
      page.waitForEvent('load'),
      offer.getByRole('button', { name: 'Use the new version' }).click(),
    ]);
    await expect(page.locator('#step-heading')).toHaveText(before);
    await expect(page.getByTestId('turn')).toHaveText('2');
    await expect(page.locator('#new-version')).toHaveCount(0);
    // The old cache is gone; the save is where it was.
    const keys = await page.evaluate(() => caches.keys());
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/-next$/);
    await page.goto('http://127.0.0.1:4177/');
    await expect(page.locator('.case-card[data-case="tom"] .save')).toContainText('2 decisions');
    expect(errors).toEqual([]);
  } finally {
    writeFileSync(deployed, `${root}dist`);
  }
});
