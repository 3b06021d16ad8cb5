import { test, expect } from '@playwright/test';
import { expectNothingHostileInPage, gotoCase, watchErrors, watchRequests } from './helpers.mjs';

// A release build with tests/fixtures/hostile.md bundled (scripts/test builds it into
// target/dist-hostile). Its text tries every way we know to run script or load from elsewhere.
const hostile = 'http://127.0.0.1:4174';

test('scenario Markdown never becomes executable HTML', async ({ page }) => {
  const errors = watchErrors(page);
  const outside = watchRequests(page, hostile);
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await gotoCase(page, `${hostile}/#/case/hostile?seed=1`);
  const step = page.locator('.step');
  await expect(step).toContainText('Raw block HTML follows');

  // Raw HTML is shown as text, not turned into elements.
  await expect(step).toContainText("<script>window.__pwned = 'block'</script>");
  const main = page.locator('main');
  // No element, handler or unsafe link came of it; the https link stays.
  const hrefs = await expectNothingHostileInPage(page);
  expect(hrefs).toContain('https://www.gov.uk/government/publications/working-together-to-safeguard-children--2');
  await expect(step).toContainText('plain js');

  // Play on to the feedback and the ending, which are hostile too.
  await page.keyboard.press('1');
  await expect(page.getByTestId('feedback')).toContainText('Feedback with');
  await expect(main.locator('script, iframe, img')).toHaveCount(0);
  await page.keyboard.press('n');
  await expect(page.locator('#step-heading')).toContainText('Ending');

  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  expect(dialogs).toBe(0);
  expect(outside).toEqual([]);
  expect(errors).toEqual([]);
});
