import { test, expect } from '@playwright/test';
import { axeViolations, expectOneH1, gotoCase, watchErrors, watchRequests, BUNDLED } from './helpers.mjs';

test('the home screen lists every case study as playable, with its seat, a summary and a content note', async ({ page }) => {
  const errors = watchErrors(page);
  const outside = watchRequests(page, 'http://127.0.0.1:4173');
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-GB');
  await expect(page.getByRole('heading', { level: 1, name: 'Thresholds' })).toBeVisible();
  await expectOneH1(page);
  await expect(page.locator('.case-card[data-case]')).toHaveCount(BUNDLED.length);
  for (const [id, summary] of [['imran', 'Imran, 32'], ['abby', 'Abby, 20'], ['tom', 'Tom, 40']]) {
    await expect(page.locator(`.case-card[data-case="${id}"]`)).toContainText(summary);
  }
  for (const { id, title, seat } of BUNDLED) {
    const card = page.locator(`.case-card[data-case="${id}"]`);
    await expect(card.getByRole('heading', { level: 3 })).toHaveText(title);
    await expect(card).toHaveAttribute('data-seat', seat);
    await expect(card.locator('.meta').first()).toContainText(/^You are: \S/);
    await expect(card.locator('.content-note')).toContainText('Content note:');
    await expect(card.getByRole('link', { name: `Start ${title}` })).toBeVisible();
  }
  await expect(page.locator('.case-card.broken')).toHaveCount(0);
  expect(await axeViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
  expect(outside).toEqual([]);
});

test('an unknown case says so and offers the way back', async ({ page }) => {
  const errors = watchErrors(page);
  await gotoCase(page, '/#/case/no-such-case');
  await expect(page.getByRole('heading', { level: 1, name: 'Case not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to all cases' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Thresholds' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('the static opening shows on the home screen only, with one h1 on every screen', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Thresholds' })).toBeVisible();
  await expect(page.locator('.case-list')).toBeVisible();
  await expect(page.locator('h1:visible')).toHaveCount(1);
  await page.getByRole('link', { name: /Start Imran/ }).click();
  await expect(page.locator('#step-heading')).toBeVisible();
  await expect(page.locator('#home')).toBeHidden();
  await expect(page.locator('h1:visible')).toHaveCount(1);
  await expect(page.locator('h1:visible')).toHaveText('Imran, Jennifer, David and Misha');
  await page.getByRole('link', { name: 'All cases' }).click();
  await expect(page.locator('#home')).toBeVisible();
  await expect(page.locator('h1:visible')).toHaveCount(1);
});

test('each address starts the program that shows it (the loader reads addresses as the app does)', async ({ page }) => {
  const errors = watchErrors(page);
  const homeShown = () => page.evaluate(() => !document.getElementById('home').hidden);
  for (const [address, home] of [
    ['/', true], ['/#', true], ['/#/', true], ['/#main', true], ['/#/case', true], ['/#/nowhere', true],
    ['/#/law', false], ['/#/law/', false], ['/#/your-cases', false], ['/#/case/tom', false],
    ['/#/case/tom?mode=assessment&seed=4', false], ['/#/case/nothing-here', false],
  ]) {
    await page.goto(address);
    if (home) await expect(page.locator('.case-card[data-case="tom"]')).toBeVisible();
    else await expect(page.locator('#app h1'), address).toBeVisible();
    expect(await homeShown(), address).toBe(home);
    await expect(page.locator('h1:visible')).toHaveCount(1);
  }
  expect(errors).toEqual([]);
});

test('a trainer shows only the cases played from one seat, by keyboard, and goes back to all', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expect(page.locator('.case-card[data-case]')).toHaveCount(BUNDLED.length);
  const seats = [...new Set(BUNDLED.map((c) => c.seat))];
  expect(seats.length, 'cases from at least five seats').toBeGreaterThanOrEqual(5);
  const filter = page.getByLabel('Show the cases played from the seat of');
  const status = page.locator('#seat-shown');
  await expect(status).toHaveText(`Showing all ${BUNDLED.length} cases.`);
  await filter.focus();
  for (const seat of seats) {
    // The list box by keyboard: down until this seat is chosen (Chromium changes a closed
    // list box's value with the arrow keys and fires "change" each time).
    for (let i = 0; i < seats.length + 1 && (await filter.inputValue()) !== seat; i++) {
      await page.keyboard.press('ArrowDown');
    }
    expect(await filter.inputValue()).toBe(seat);
    const ids = BUNDLED.filter((c) => c.seat === seat).map((c) => c.id);
    await expect(page.locator('.case-card[data-case]')).toHaveCount(ids.length);
    for (const id of ids) await expect(page.locator(`.case-card[data-case="${id}"]`)).toHaveAttribute('data-seat', seat);
    await expect(status).toContainText(`Showing ${ids.length} of ${BUNDLED.length} cases: played as `);
    await expect(filter, 'choosing never takes the trainer off the list box').toBeFocused();
  }
  expect(await axeViolations(page)).toEqual([]);
  // The choice stays while a case is opened and left.
  const last = seats[seats.length - 1];
  const id = BUNDLED.find((c) => c.seat === last).id;
  await page.locator(`.case-card[data-case="${id}"] .start a`).click();
  await expect(page.locator('#step-heading')).toBeVisible();
  await page.goBack();
  await expect(page.locator('.case-card[data-case]')).toHaveCount(BUNDLED.filter((c) => c.seat === last).length);
  await expect(filter).toHaveValue(last);
  // Back to every seat, by keyboard.
  await filter.focus();
  await page.keyboard.press('Home');
  await expect(filter).toHaveValue('');
  await expect(page.locator('.case-card[data-case]')).toHaveCount(BUNDLED.length);
  await expect(status).toHaveText(`Showing all ${BUNDLED.length} cases.`);
  expect(errors).toEqual([]);
});
