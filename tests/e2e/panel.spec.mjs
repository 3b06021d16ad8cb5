import { test, expect } from '@playwright/test';
import { axeViolations, gotoCase, watchErrors } from './helpers.mjs';

const row = (page, service) => page.locator(`.service-row[data-service="${service}"]`);

test('the panel shows each service at the level its own knowledge supports', async ({ page }) => {
  const errors = watchErrors(page);
  await gotoCase(page, '/#/case/imran?seed=1');
  const panel = page.getByRole('complementary', { name: 'How each service would respond' });
  await expect(panel).toBeVisible();
  await expect(panel.locator('.service-row')).toHaveCount(8);
  // Children's social care knows nothing yet; the full picture already joins what the school
  // and the drug service each hold.
  await expect(row(page, 'childrens-social-care')).toHaveAttribute('data-level', 'universal');
  await expect(row(page, 'childrens-social-care').locator('.level-name')).toHaveText('Universal');
  await expect(panel.locator('.full-picture')).toHaveAttribute('data-level', 'child-in-need');
  await expect(row(page, 'childrens-social-care').locator('.missing')).toContainText('Missing:');
  await expect(row(page, 'drug-service')).toHaveAttribute('data-level', 'early-help');
  expect(await axeViolations(page)).toEqual([]);

  // A decision in the story moves the panel: asking about the children reveals unsafe storage.
  await page.keyboard.press('1');
  await expect(row(page, 'drug-service')).toHaveAttribute('data-level', 'child-protection');
  await expect(row(page, 'drug-service').locator('.why')).toContainText('kitchen fridge');
  await expect(panel.locator('.full-picture')).toHaveAttribute('data-level', 'child-protection');
  await expect(row(page, 'health-visiting').locator('.missing')).toContainText('kitchen fridge');

  // What a service knows, on demand, by keyboard.
  await row(page, 'health-visiting').locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(row(page, 'health-visiting').locator('.held li')).toHaveCount(2);

  // Hide and show, by keyboard, for a room that should predict first.
  const toggle = panel.getByRole('button', { name: /the threshold panel/ });
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(panel.locator('.service-row').first()).toBeHidden();
  await page.keyboard.press('Enter');
  await expect(panel.locator('.service-row').first()).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});

test('sharing a fact, by keyboard, changes the recipient level on screen', async ({ page }) => {
  const errors = watchErrors(page);
  await gotoCase(page, '/#/case/imran?seed=1');
  await expect(row(page, 'childrens-social-care')).toHaveAttribute('data-level', 'universal');

  const form = page.locator('.share-form');
  await form.locator('summary').focus();
  await page.keyboard.press('Enter');
  for (const label of ['David (3) and Misha (5) live with Imran and Jennifer', 'Jennifer drinks frequently']) {
    await form.getByLabel(label).focus();
    await page.keyboard.press('Space');
  }
  await form.getByLabel('With which service').selectOption('childrens-social-care');
  await form.getByLabel('to safeguard a child').focus();
  await page.keyboard.press('Space');
  await form.getByLabel('I have told the parent').focus();
  await page.keyboard.press('Space');
  await form.getByRole('button', { name: 'Share' }).focus();
  await page.keyboard.press('Enter');

  await expect(row(page, 'childrens-social-care')).toHaveAttribute('data-level', 'early-help');
  await expect(row(page, 'childrens-social-care').locator('.level-name')).toHaveText('Early help: additional needs');
  const feedback = page.getByTestId('feedback');
  await expect(feedback).toContainText("You shared with Children's social care (front door); lawful basis: to safeguard a child (public task; for health information, the safeguarding condition), and told the parent.");
  await expect(feedback).toContainText('now knows: Jennifer drinks frequently');
  await expect(page.getByTestId('turn')).toHaveText('0');

  // Over-sharing is visible: Imran's hepatitis C is not children's social care's business.
  await form.getByLabel('Imran has hepatitis C').check();
  await form.getByLabel('With which service').selectOption('childrens-social-care');
  await form.getByLabel('no lawful basis', { exact: true }).check();
  await form.getByRole('button', { name: 'Share' }).click();
  await expect(feedback).toContainText('over-sharing');
  await expect(feedback).toContainText('no lawful basis is never good practice');

  // The lawful bases as the May 2024 advice frames them: consent is offered, and cautioned.
  const bases = form.getByRole('group', { name: 'The lawful basis for sharing' });
  await expect(bases.getByRole('radio')).toHaveCount(4);
  await form.getByLabel('Jennifer drinks frequently').check();
  await form.getByLabel('With which service').selectOption('health-visiting');
  await form.getByLabel("the parent's consent as the lawful basis").check();
  await form.getByLabel('I have told the parent').check();
  await form.getByRole('button', { name: 'Share' }).click();
  await expect(feedback).toContainText('Consent is rarely the right lawful basis');

  // Nothing chosen: a clear message, nothing shared.
  await form.getByRole('button', { name: 'Share' }).click();
  await expect(form.getByRole('alert')).toContainText('Choose the basis');
  expect(await axeViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});
