import { test, expect } from '@playwright/test';
import { axeViolations, gotoCase, loadHome, watchErrors } from './helpers.mjs';

// What the app itself fetches, and when its fetches fail. A service worker would fetch every
// file in the background (offline.spec.mjs tests that) and answer from its cache, and its
// requests are not the page's to route: so none here.
test.use({ serviceWorkers: 'block' });

test('the home screen fetches no case and not the case player; both are fetched when a case is opened', async ({ page }) => {
  const errors = watchErrors(page);
  const fetched = await loadHome(page);
  expect(fetched.filter((p) => p.startsWith('/cases/'))).toEqual([]);
  // The home screen is its own program; the case player (the larger) is not fetched for it.
  expect(fetched.filter((p) => p.endsWith('.wasm'))).toEqual([expect.stringMatching(/^\/home-[0-9a-f]{16}_bg\.wasm$/)]);
  await page.locator('.case-card[data-case="tom"]').getByRole('link', { name: /^Start/ }).click();
  await expect(page.locator('#step-heading')).toBeVisible();
  expect(fetched.filter((p) => p.endsWith('.wasm'))).toEqual([
    expect.stringMatching(/^\/home-[0-9a-f]{16}_bg\.wasm$/),
    expect.stringMatching(/^\/thresholds-[0-9a-f]{16}_bg\.wasm$/),
  ]);
  // Opening a case fetches it, the area and the rubrics it is played against, and the case
  // screen's stylesheet: nothing else.
  expect(fetched.filter((p) => p.startsWith('/cases/')).sort()).toEqual([
    expect.stringMatching(/^\/cases\/area\.[0-9a-f]{16}\.bin$/),
    expect.stringMatching(/^\/cases\/case\.[0-9a-f]{16}\.css$/),
    expect.stringMatching(/^\/cases\/rubrics\.[0-9a-f]{16}\.bin$/),
    expect.stringMatching(/^\/cases\/tom\.[0-9a-f]{16}\.bin$/),
  ]);
  // Back on the home screen (the other program again), the run just begun is offered.
  await page.keyboard.press('1');
  await expect(page.getByTestId('turn')).toHaveText('1');
  await page.getByRole('link', { name: 'All cases' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Thresholds' })).toBeFocused();
  await expect(page.locator('.case-card[data-case="tom"] .save')).toContainText('1 decision');
  await expect(page.locator('#step-heading')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a case file that cannot be fetched, or arrives damaged, says so plainly and offers the way back', async ({ page }) => {
  await page.route('**/cases/imran.*.bin', (route) => route.abort());
  await gotoCase(page, '/#/case/imran?mode=self-paced&seed=2013');
  await expect(page.getByRole('heading', { level: 1, name: 'This case cannot open' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('could not be loaded');
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Back to all cases' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Thresholds' })).toBeVisible();
  // Its card says so too, and the others are as they were.
  await expect(page.locator('.case-card[data-case="imran"] .card-problem')).toContainText('could not be loaded');
  await expect(page.locator('.case-card[data-case="tom"] .card-problem')).toHaveCount(0);
  expect(await axeViolations(page)).toEqual([]);

  await page.route('**/cases/abby.*.bin', (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from([2, 1, 2, 3, 255, 255]) }));
  await gotoCase(page, '/#/case/abby?mode=self-paced&seed=2013');
  await expect(page.getByRole('alert')).toContainText('damaged or out of date');
});

test('a saved case whose file cannot be fetched is reported on the home screen once, not fetched for ever', async ({ page }) => {
  let fetches = 0;
  await page.route('**/cases/imran.*.bin', (route) => { fetches += 1; return route.abort(); });
  await page.addInitScript(() => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', 'yes');
    localStorage.setItem('thresholds/save/imran/self-paced', 'thresholds-save 2\ncase: imran\ncase-version: 2\nmode: self-paced\nseed: 3\nstarted: x\nsaved: 2026-11-20T10:00:00.000Z\naction: review~ask-children\n');
  });
  await page.goto('/');
  const save = page.locator('.case-card[data-case="imran"] .save');
  await expect(save).toContainText('could not be loaded');
  await page.waitForTimeout(1500);
  expect(fetches).toBe(1);
  expect(await axeViolations(page)).toEqual([]);
});

test('a deep link paints a still of its first step at once, inert, and the player takes its place', async ({ page }) => {
  const errors = watchErrors(page);
  const stills = [];
  page.on('request', (r) => { if (/\/cases\/[a-z0-9-]+\.[0-9a-f]{16}\.html$/.test(r.url())) stills.push(new URL(r.url()).pathname); });
  // The player's program held back, so the still can be looked at.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/thresholds-*_bg.wasm', async (route) => { await held; await route.continue(); });
  await page.goto('/#/case/abby?mode=facilitator&seed=2013');
  const still = page.locator('#app [data-still]');
  await expect(still).toBeVisible();
  expect(stills).toEqual([expect.stringMatching(/^\/cases\/abby-facilitator\.[0-9a-f]{16}\.html$/)]);
  // Shown as the player will show it, but nothing in it can be used, and it says it is opening.
  await expect(still.locator('.case-screen')).toHaveAttribute('inert', '');
  await expect(still.locator('h1')).toHaveText('Abby and Jada');
  await expect(still.getByTestId('seed')).toHaveText('2013');
  await expect(still.locator('.still-note')).toHaveText('Opening…');
  await expect(still.locator('.still-note')).toHaveAttribute('role', 'status');
  await expect(still.locator('.still-note')).toBeVisible();
  await expect(page.locator('body')).toHaveClass(/presenter/);
  const first = await still.locator('#step-heading').textContent();
  const text = await still.locator('.step-text').textContent();
  release();
  await expect(page.locator('#step-heading')).toBeFocused();
  await expect(still).toHaveCount(0);
  await expect(page.locator('#step-heading')).toHaveText(first);
  expect(await page.locator('.step-text').textContent()).toBe(text);
  expect(await axeViolations(page)).toEqual([]);

  // An address in the middle of a run names a later step: no still for it.
  await page.keyboard.press('1');
  await expect(page.getByTestId('turn')).toHaveText('1');
  await expect.poll(() => page.url()).toContain('path=');
  const middle = page.url();
  stills.length = 0;
  await page.goto('about:blank');
  await page.goto(middle);
  await expect(page.locator('#step-heading')).toBeFocused();
  await expect(page.getByTestId('turn')).toHaveText('1');
  expect(stills).toEqual([]);
  expect(errors).toEqual([]);
});
