import { test, expect } from '@playwright/test';
import { axeViolations, expectOneH1, gotoCase, watchErrors, watchRequests } from './helpers.mjs';

test('"About the law" is reachable from the home screen and from a case, by keyboard, and is axe clean', async ({ page }) => {
  const errors = watchErrors(page);
  const outside = watchRequests(page, 'http://127.0.0.1:4173');
  await page.goto('/');
  const link = page.getByRole('link', { name: 'About the law in Wales, Scotland and Northern Ireland' });
  await link.focus();
  await page.keyboard.press('Enter');
  const heading = page.getByRole('heading', { level: 1, name: 'About the law' });
  await expect(heading).toBeVisible();
  await expect(page.locator('#law-heading')).toBeFocused();
  await expectOneH1(page);
  // The framework in use, and each nation with its sources.
  await expect(page.getByTestId('framework')).not.toBeEmpty();
  for (const [nation, phrase] of [
    ['England (what the cases use)', 'section 47'],
    ['Wales', 'Social Services and Well-being (Wales) Act 2014'],
    ['Scotland', 'inter-agency referral discussion'],
    ['Northern Ireland', 'Article 66'],
  ]) {
    const section = page.locator('section.nation', { has: page.getByRole('heading', { level: 2, name: nation }) });
    await expect(section).toContainText(phrase);
    const points = await section.locator('li').count();
    expect(points).toBeGreaterThanOrEqual(5);
    await expect(section.locator('li .source')).toHaveCount(points);
  }
  expect(await axeViolations(page)).toEqual([]);

  // From a case, and back to the list.
  await gotoCase(page, '/#/case/tom?mode=self-paced&seed=2013');
  await page.getByRole('link', { name: 'about the law in each nation' }).click();
  await expect(heading).toBeVisible();
  await page.getByRole('link', { name: 'All cases' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Thresholds' })).toBeVisible();
  expect(errors).toEqual([]);
  expect(outside).toEqual([]);
});
