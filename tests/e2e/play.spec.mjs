import { test, expect } from '@playwright/test';
import { axeViolations, expectOneH1, gotoCase, watchErrors, watchRequests, BUNDLED } from './helpers.mjs';

/** Presses Tab until the focused element matches `selector` (keyboard only, no clicks). */
async function tabTo(page, selector, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`could not reach ${selector} with Tab`);
}

// What the first listed choice of each case's first step brings to light (every bundled case
// must be here: a new case is played by this test as soon as it is added).
const FOUND = {
  imran: 'found out: The methadone is kept in the kitchen fridge',
  abby: "found out: Abby's parents look after Jada",
  tom: 'found out: Danielle, 12, visits',
  kayleigh: 'found out: Kayleigh is prescribed methadone',
  marcus: 'found out: Ella, 9, and Alfie, 2, live with Kelly and Marcus',
  maureen: "found out: Kelly, the children's mother",
  jayden: "found out: Jayden's attendance has fallen",
};
const CASES = BUNDLED.map((c) => ({ ...c, found: FOUND[c.id] }));

test('every bundled case is played by keyboard below', () => {
  expect(CASES.filter((c) => !c.found).map((c) => c.id)).toEqual([]);
  expect(CASES.length).toBeGreaterThanOrEqual(7);
});

for (const { id, first, found } of CASES) {
  test(`${id}: played to an ending using only the keyboard`, async ({ page }) => {
    const errors = watchErrors(page);
    const outside = watchRequests(page, 'http://127.0.0.1:4173');
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Thresholds' })).toBeVisible();
    await tabTo(page, `.case-card[data-case="${id}"] .start a`);
    await page.keyboard.press('Enter');

    const stepHeading = page.locator('#step-heading');
    await expect(stepHeading).toContainText(first);
    await expect(page.getByTestId('seed')).toHaveText(/^\d+$/);
    await expect(page.locator('#step-heading')).toBeFocused();
    await expectOneH1(page);
    // The threshold panel is on screen beside the step, every service in it.
    const panel = page.getByRole('complementary', { name: 'How each service would respond' });
    await expect(panel).toBeVisible();
    await expect.poll(() => panel.locator('.service-row').count()).toBeGreaterThanOrEqual(4);
    expect(await axeViolations(page)).toEqual([]);

    // First decision by Tab and Enter on the first choice button; the rest by number keys.
    await tabTo(page, 'button.choice');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('turn')).toHaveText('1');
    // The feedback first: focus on it, and the next step only when asked for.
    await expect(page.locator('#feedback-heading')).toBeFocused();
    const feedback = page.getByTestId('feedback');
    await expect(feedback).toHaveAttribute('role', 'status');
    await expect(feedback).toContainText('Good practice');
    await expect(feedback).toContainText(found);
    await expect(page.locator('button.choice')).toHaveCount(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('n');
    await expect(page.locator('#step-heading')).toBeFocused();
    await expect(feedback).toBeEmpty();

    let decisions = 1;
    while (!(await stepHeading.textContent()).startsWith('Ending')) {
      const before = await stepHeading.textContent();
      await page.keyboard.press('1');
      await expect(page.getByTestId('turn')).toHaveText(String(decisions + 1));
      decisions += 1;
      await expect(page.locator('#feedback-heading')).toBeFocused();
      // The report waits until the learner goes on from the last feedback (it would come a
      // paint after the feedback: give it the time).
      await page.waitForTimeout(150);
      await expect(page.locator('.debrief-summary')).toHaveCount(0);
      await page.keyboard.press('n');
      await expect(page.locator('#step-heading')).toBeFocused();
      expect(decisions, `stuck after "${before}"`).toBeLessThan(30);
    }
    await expect(page.locator('.outcome')).toContainText('For the children:');
    await expect(page.getByTestId('tally')).toContainText(`out of ${decisions}`);
    await expect(page.locator('.decisions > li')).toHaveCount(decisions);
    await expect(page.locator('.debrief')).toBeVisible();
    await expectOneH1(page);
    expect(await axeViolations(page)).toEqual([]);

    // The way back, by keyboard.
    await tabTo(page, 'a[href="#/"]');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Thresholds' })).toBeVisible();
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
  });
}

test('the same seed and the same choices give the same run', async ({ page }) => {
  const errors = watchErrors(page);
  const path = [];
  for (const attempt of [0, 1]) {
    // A full load each time (not a change of address within the page, which can race the
    // address the app updates just after the last decision).
    await page.goto('about:blank');
    await gotoCase(page, `/#/case/imran?seed=4242`);
    await expect(page.locator('#step-heading')).toBeFocused();
    await expect(page.getByTestId('seed')).toHaveText('4242');
    const headings = [];
    for (let i = 0; i < 30; i++) {
      const h = await page.locator('#step-heading').textContent();
      headings.push(h);
      if (h.startsWith('Ending')) break;
      // Alternate between the first and the last option to vary the path.
      const choices = page.locator('button.choice');
      const n = await choices.count();
      await page.keyboard.press(String(i % 2 === 0 ? n : 1));
      await expect(page.getByTestId('turn')).toHaveText(String(i + 1));
      await page.keyboard.press('n');
    }
    path[attempt] = headings;
  }
  expect(path[1]).toEqual(path[0]);
  expect(path[0].at(-1)).toMatch(/^Ending/);
  expect(errors).toEqual([]);
});
