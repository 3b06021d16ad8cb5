// Each setting laid out for its screen (issue 11): a projector at 1280×720 and at 150% zoom, a
// laptop at 1366×768, a phone at 390×844. Screenshots from these runs were looked at by hand
// while the layout was made; they are not kept in the repository.
import { test, expect } from '@playwright/test';
import { axeViolations, gotoCase, playPath, watchErrors } from './helpers.mjs';

/** For each element matching `selector`, whether it lies wholly inside the window. */
const inWindow = (page, selector) => page.locator(selector).evaluateAll((els) => els.map((e) => {
  const r = e.getBoundingClientRect();
  return r.top >= -0.5 && r.left >= -0.5 && r.bottom <= innerHeight + 0.5 && r.right <= innerWidth + 0.5;
}));

/** Elements wider than the window, or reaching past its right edge (none on a phone). */
const tooWide = (page) => page.evaluate(() => [...document.querySelectorAll('main *')]
  .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > innerWidth + 0.5; })
  .map((e) => `${e.tagName.toLowerCase()}.${e.className}`).slice(0, 5));

for (const [name, options] of [
  ['1280×720', { viewport: { width: 1280, height: 720 } }],
  ['1280×720 at 150% zoom', { viewport: { width: 853, height: 480 }, deviceScaleFactor: 1.5 }],
]) {
  test(`facilitator on a projector at ${name}: every step's choices, and after T every service, fit the window`, async ({ browser }) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await gotoCase(page, '/#/case/tom?mode=facilitator&seed=2013');
    const heading = page.locator('#step-heading');
    let steps = 0;
    for (; steps < 30; steps++) {
      await expect(heading).toBeFocused();
      if ((await heading.textContent()).startsWith('Ending')) break;
      const choices = await inWindow(page, 'button.choice');
      expect(choices.length).toBeGreaterThan(1);
      expect(choices, `every choice on screen at step ${steps + 1}`).toEqual(choices.map(() => true));
      // T: the room sees every service at once.
      await page.keyboard.press('t');
      await expect(page.locator('#panel-heading')).toBeFocused();
      await expect(page.locator('.service-row')).toHaveCount(7);
      await expect.poll(async () => (await inWindow(page, '.service-row')).every(Boolean), { message: `every service on screen at step ${steps + 1}` }).toBe(true);
      if (steps === 0) expect(await axeViolations(page)).toEqual([]);
      await page.keyboard.press('t');
      await expect(heading).toBeFocused();
      await page.keyboard.press('1');
      await expect(page.locator('#feedback-heading')).toBeFocused();
      if (steps === 0) expect(await axeViolations(page)).toEqual([]);
      await page.keyboard.press('n');
    }
    expect(steps, 'a case played through').toBeGreaterThanOrEqual(8);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
}

test('facilitator: votes typed but not recorded survive P and T, and the room sees its votes beside its choice', async ({ page }) => {
  const errors = watchErrors(page);
  await gotoCase(page, '/#/case/imran?mode=facilitator&seed=2013');
  await expect(page.locator('#step-heading')).toBeFocused();
  await page.locator('.votes-form summary').click();
  await page.locator('#vote-ask-children').fill('9');
  await page.locator('#vote-recovery-only').fill('4');
  await page.locator('#step-heading').focus();
  await page.keyboard.press('p');
  await expect(page.locator('#prompt-list')).toBeVisible();
  await page.keyboard.press('t');
  await expect(page.locator('.service-row').first()).toBeVisible();
  await page.keyboard.press('t');
  await page.keyboard.press('p');
  await expect(page.locator('#prompt-list')).toBeHidden();
  await expect(page.locator('#vote-ask-children')).toHaveValue('9');
  await expect(page.locator('#vote-recovery-only')).toHaveValue('4');
  await page.locator('#vote-recovery-only').press('Enter');
  await expect(page.getByTestId('feedback')).toContainText("Recorded the room's votes: 13 in all");
  await page.keyboard.press('1');
  const vote = page.locator('.room-vote');
  await expect(vote.locator('li.chosen')).toContainText('9 votes');
  await expect(vote.locator('li.chosen')).toContainText("(the room's choice)");
  await expect(vote).toContainText('4 votes');
  expect(await axeViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});

test('self-paced on a laptop (1366×768): after a choice the feedback comes first, and the panel says which level moved and why', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await gotoCase(page, '/#/case/imran?mode=self-paced&seed=2013');
  await expect(page.locator('#step-heading')).toBeFocused();
  expect((await inWindow(page, 'button.choice'))[0], 'the first choice on screen at step 1').toBe(true);
  await page.keyboard.press('1');
  await expect(page.locator('#feedback-heading')).toBeFocused();
  await expect.poll(async () => (await inWindow(page, '#feedback-region .grade'))[0]).toBe(true);
  // Was → now, in the feedback (announced: the live region) and in the panel.
  const feedback = page.getByTestId('feedback');
  await expect(feedback.locator('.level-change').first()).toBeVisible();
  await expect(feedback).toContainText('Drug and alcohol service (you): was 2 (Early help: additional needs), now 4 (Child protection: section 47 enquiry), because it learned: The methadone is kept in the kitchen fridge');
  const drug = page.locator('.service-row[data-service="drug-service"]');
  await expect(drug.locator('.was-now')).toContainText('was 2 → now 4');
  await expect(drug.locator('.change-why')).toContainText('kitchen fridge');
  await expect(page.locator('.service-row[data-service="school"] .was-now')).toHaveCount(0);
  expect(await axeViolations(page)).toEqual([]);
  // A share moves the recipient, and the share's result says so.
  await page.keyboard.press('n');
  const form = page.locator('.share-form');
  await form.locator('summary').click();
  await form.getByLabel('The methadone is kept in the kitchen fridge').check();
  await form.getByLabel('David (3) and Misha (5) live with Imran and Jennifer').check();
  await form.getByLabel('With which service').selectOption('health-visiting');
  await form.getByLabel('to safeguard a child').check();
  await form.getByLabel('I have told the parent').check();
  await form.getByRole('button', { name: 'Share' }).click();
  await expect(feedback).toContainText('Health visiting (David): was');
  await expect(page.locator('.service-row[data-service="health-visiting"] .was-now')).toBeVisible();
  await expect(page.locator('.service-row[data-service="drug-service"] .was-now')).toHaveCount(0);
  expect(errors).toEqual([]);
  await context.close();
});

test('on a phone (390×844): nothing wider than the screen, touch targets of 44 px, no talk of keys', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('/');
  await expect(page.locator('.case-card[data-case="tom"]')).toBeVisible();
  expect(await tooWide(page)).toEqual([]);
  expect(await axeViolations(page)).toEqual([]);
  await gotoCase(page, '/#/case/tom?mode=self-paced&seed=2013');
  await expect(page.locator('#step-heading')).toBeVisible();
  await expect(page.locator('.keys-only').first()).toBeHidden();
  expect(await tooWide(page)).toEqual([]);
  const heights = await page.locator('button.choice, .button, summary').evaluateAll((els) => els.filter((e) => e.offsetParent).map((e) => e.getBoundingClientRect().height));
  expect(Math.min(...heights)).toBeGreaterThanOrEqual(44);
  expect(await axeViolations(page)).toEqual([]);
  await page.locator('button.choice').first().tap();
  await expect(page.locator('#feedback-heading')).toBeFocused();
  expect(await tooWide(page)).toEqual([]);
  expect(await axeViolations(page)).toEqual([]);
  await playPath(page, []);
  await expect(page.locator('#section-chart')).toHaveCount(1);
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await expect(page.locator('table.level-chart')).toBeVisible();
  expect(await tooWide(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await axeViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});
