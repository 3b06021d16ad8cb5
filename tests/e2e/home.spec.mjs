import { test, expect } from '@playwright/test';
import { axeViolations, expectOneH1, watchErrors, watchRequests } from './helpers.mjs';

test('the home screen lists all three case studies as playable, with a summary and a content note', async ({ page }) => {
  const errors = watchErrors(page);
  const outside = watchRequests(page, 'http://127.0.0.1:4173');
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-GB');
  await expect(page.getByRole('heading', { level: 1, name: 'Thresholds' })).toBeVisible();
  await expectOneH1(page);
  for (const [id, title, summary] of [
    ['imran', 'Imran, Jennifer, David and Misha', 'Imran, 32'],
    ['abby', 'Abby and Jada', 'Abby, 20'],
    ['tom', 'Tom and Danielle', 'Tom, 40'],
  ]) {
    const card = page.locator(`.case-card[data-case="${id}"]`);
    await expect(card.getByRole('heading', { level: 3 })).toHaveText(title);
    await expect(card).toContainText(summary);
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
  await page.goto('/#/case/no-such-case');
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
    else await expect(page.locator('#app h1')).toBeVisible();
    expect(await homeShown(), address).toBe(home);
    await expect(page.locator('h1:visible')).toHaveCount(1);
  }
  expect(errors).toEqual([]);
});
