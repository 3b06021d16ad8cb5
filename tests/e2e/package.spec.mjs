// The single file a trainer can carry (issue 13): opened as file://, with no server and no
// network, it plays a case, keeps progress, and resumes it. scripts/test writes it first
// (scripts/package.mjs, from the release build).
import { test, expect } from '@playwright/test';
import { axeViolations, playPath, watchErrors, BUNDLED } from './helpers.mjs';

const file = `file://${new URL('../..', import.meta.url).pathname}target/package/thresholds.html`;

test('the single file runs from file:// with nothing else: a case played, saved, resumed and finished', async ({ page }) => {
  const errors = watchErrors(page);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(file);
  await expect(page.locator('.case-card[data-case]')).toHaveCount(BUNDLED.length);
  expect(await axeViolations(page)).toEqual([]);
  await page.locator('.case-card[data-case="tom"] .start a').click();
  const heading = page.locator('#step-heading');
  await expect(heading).toContainText("Tom's six-month review");
  for (const n of ['1', '2', '3']) {
    await page.keyboard.press('1');
    await expect(page.getByTestId('turn')).toHaveText(n);
    await page.keyboard.press('n');
  }
  await expect(page).toHaveURL(/path=[^&,]+,[^&,]+,[^&,]+$/);
  const at = await heading.textContent();
  // A reload returns to the same step; progress is kept on this device.
  await page.reload();
  await expect(heading).toHaveText(at);
  await expect(page.getByTestId('turn')).toHaveText('3');
  await page.goto(file);
  const save = page.locator('.case-card[data-case="tom"] .save');
  await expect(save).toContainText('3 decisions');
  await save.getByRole('link', { name: /^Resume/ }).click();
  await expect(heading).toHaveText(at);
  await playPath(page, []);
  await expect(page.locator('.debrief-summary')).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  // Nothing was fetched from anywhere: every request was for the file itself.
  expect(requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:'))).toEqual([]);
  expect(errors).toEqual([]);
});
