import { test, expect } from '@playwright/test';
import { axeViolations, watchErrors } from './helpers.mjs';

// target/dist-hostile also bundles tests/fixtures/invalid/flow.md, which has validation problems.
const build = 'http://127.0.0.1:4174';

test('a broken case file is listed with its problems and cannot be started', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`${build}/`);
  const card = page.locator('.case-card.broken');
  await expect(card).toHaveCount(1);
  await expect(card.getByRole('heading', { level: 3 })).toHaveText('tests/fixtures/invalid/flow.md');
  await expect(card).toContainText('cannot start');
  await expect(card).toContainText("tests/fixtures/invalid/flow.md:61: step 'dead-end' has no way forward");
  await expect(card).toContainText('hint:');
  await expect(card.getByRole('link')).toHaveCount(0);
  // Its id is not playable either.
  await page.goto(`${build}/#/case/flow`);
  await expect(page.getByRole('heading', { level: 1, name: 'Case not found' })).toBeVisible();
  await page.goto(`${build}/`);
  expect(await axeViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});
