import { test, expect } from '@playwright/test';
import { axeViolations, expectOneH1, gotoCase, playPath, watchErrors, watchRequests, IMRAN_GOOD } from './helpers.mjs';

/** Presses Tab until the focused element matches `selector`. */
async function tabTo(page, selector, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`could not reach ${selector} with Tab`);
}

const storage = (page) => page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])));

test('a facilitator runs a session from the keyboard: prompts, votes, a hidden panel, next, back', async ({ page }) => {
  const errors = watchErrors(page);
  const outside = watchRequests(page, 'http://127.0.0.1:4173');
  await gotoCase(page, '/#/case/imran?mode=facilitator&seed=2013');
  const heading = page.locator('#step-heading');
  await expect(heading).toContainText("Imran's treatment review");
  await expect(page.locator('body')).toHaveClass(/presenter/);
  await expect(page.getByTestId('mode')).toHaveText('Facilitating a room');
  await expect(page.locator('.keys-help')).toBeVisible();

  // The panel starts hidden, so the room predicts first.
  const toggle = page.locator('#panel-toggle');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(page.locator('#panel-body .service-row')).toHaveCount(0);

  // P shows the discussion prompts.
  await expect(page.locator('#prompt-list')).toBeHidden();
  await page.keyboard.press('p');
  await expect(page.locator('#prompt-list')).toBeVisible();
  await expect(page.locator('#prompt-list li').first()).toContainText('Which children');
  expect(await axeViolations(page)).toEqual([]);

  // The room's votes, entered by keyboard before the room's choice.
  await tabTo(page, '.votes-form summary');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.type('12');
  await page.keyboard.press('Tab');
  await page.keyboard.type('5');
  await page.keyboard.press('Tab');
  await page.keyboard.type('3');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('feedback')).toContainText("Recorded the room's votes: 20 in all");
  await expect(page.locator('button.choice[data-choice="ask-children"] .vote-count')).toHaveText('12 votes');

  // 1 enters the room's choice: feedback first, the next step waits for N.
  await page.keyboard.press('1');
  await expect(page.getByTestId('turn')).toHaveText('1');
  await expect(page.getByTestId('feedback')).toContainText('Good practice');
  await expect(page.locator('#feedback-heading')).toBeFocused();
  await expect(page.locator('#next-button')).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  // T reveals how each service would now respond.
  await page.keyboard.press('t');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.locator('.service-row[data-service="drug-service"]')).toHaveAttribute('data-level', 'child-protection');
  expect(await axeViolations(page)).toEqual([]);
  await page.keyboard.press('n');
  await expect(heading).toContainText('Where the methadone is kept');
  await expect(page.locator('#step-heading')).toBeFocused();

  // Two more decisions, then back one step with B, then with the arrow key.
  for (const expected of ['2', '3']) {
    await page.keyboard.press('1');
    await expect(page.getByTestId('turn')).toHaveText(expected);
    await page.keyboard.press('ArrowRight');
  }
  // The panel revealed, then back: the step gone back to hides it again for the room.
  await page.keyboard.press('t');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('b');
  await expect(page.getByTestId('turn')).toHaveText('2');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('turn')).toHaveText('1');
  await expect(heading).toContainText('Where the methadone is kept');

  // The address holds the seed and the path to this exact step: a reload replays it.
  await expect(page).toHaveURL(/seed=2013/);
  await expect(page).toHaveURL(/path=review~ask-children(&|$)/);
  await page.reload();
  await expect(heading).toContainText('Where the methadone is kept');
  await expect(page.getByTestId('turn')).toHaveText('1');
  await expect(page.locator('button.choice[data-choice="lockbox"]')).toBeVisible();

  // Play on to the ending; the debrief shows the room's votes beside the choice made.
  await playPath(page, IMRAN_GOOD);
  const decisions = page.locator('.debrief .decisions');
  await expect(decisions.locator('li.decision').first()).toContainText('The room: 12 of 20 voted for this');
  await expectOneH1(page);
  expect(await axeViolations(page)).toEqual([]);

  // Restart from any step: back to just before decision 2, from the replay tools.
  await page.locator('.seed-form summary').click();
  await page.locator('button[data-action="restart-before"][data-decision="2"]').click();
  await expect(page.getByTestId('turn')).toHaveText('1');
  await expect(heading).toContainText('Where the methadone is kept');
  expect(errors).toEqual([]);
  expect(outside).toEqual([]);
});

test('self-paced progress survives a reload and closing the page, for several cases at once', async ({ page }) => {
  const errors = watchErrors(page);
  await gotoCase(page, '/#/case/imran?mode=self-paced&seed=77');
  const heading = page.locator('#step-heading');
  // Focused once the player has taken over from the still it shows while it loads.
  await expect(heading).toBeFocused();
  await expect(heading).toContainText("Imran's treatment review");
  for (const [i, key] of ['1', '1', '1'].entries()) {
    await page.keyboard.press(key);
    await expect(page.getByTestId('turn')).toHaveText(String(i + 1));
    await page.keyboard.press('n');
  }
  await expect(page.getByTestId('turn')).toHaveText('3');
  // A share through the form is part of the saved run too.
  const form = page.locator('.share-form');
  await form.locator('summary').click();
  await form.getByLabel('The methadone is kept in the kitchen fridge').check();
  await form.getByLabel('With which service').selectOption('health-visiting');
  await form.getByLabel('to safeguard a child').check();
  await form.getByRole('button', { name: 'Share' }).click();
  await expect(page.getByTestId('feedback')).toContainText('Health visiting (David) now knows');
  // The panel's body follows the feedback by a frame or two: wait for it to hold the fact.
  await expect(page.locator('.service-row[data-service="health-visiting"] .held')).toContainText('kitchen fridge');
  const stepBefore = await heading.textContent();
  const hvBefore = await page.locator('.service-row[data-service="health-visiting"]').getAttribute('data-level');

  // A reload resumes at the same step with the same facts known.
  await page.reload();
  await expect(heading).toHaveText(stepBefore);
  await expect(page.getByTestId('turn')).toHaveText('3');
  await expect(page.locator('.service-row[data-service="health-visiting"]')).toHaveAttribute('data-level', hvBefore);
  await page.locator('.service-row[data-service="health-visiting"] summary').click();
  await expect(page.locator('.service-row[data-service="health-visiting"] .held')).toContainText('kitchen fridge');

  // Another case in progress at the same time.
  await gotoCase(page, '/#/case/tom?mode=self-paced&seed=5');
  await expect(heading).toContainText("Tom's six-month review");
  await page.keyboard.press('1');
  await expect(page.getByTestId('turn')).toHaveText('1');

  // "Closing the browser": a fresh page on the home screen offers both to resume.
  await page.goto('/');
  await page.reload();
  const imran = page.locator('.case-card[data-case="imran"] .save');
  await expect(imran).toContainText('In progress (Self-paced): 3 decisions');
  await expect(page.locator('.case-card[data-case="tom"] .save')).toContainText('1 decision');
  expect(await axeViolations(page)).toEqual([]);
  await imran.getByRole('link', { name: /^Resume/ }).click();
  await expect(heading).toHaveText(stepBefore);
  await expect(page.getByTestId('turn')).toHaveText('3');
  expect(errors).toEqual([]);
});

test('leaving straight after a decision: the decision is saved, and the new address is kept', async ({ page }) => {
  const errors = watchErrors(page);
  await gotoCase(page, '/#/case/imran?mode=self-paced&seed=31');
  await expect(page.locator('#step-heading')).toBeFocused();
  await expect(page.locator('#step-heading')).toContainText("Imran's treatment review");
  // A decision, then at once (before its deferred save) the trainee goes to the home screen.
  await page.keyboard.press('1');
  await page.evaluate(() => { location.hash = '#/'; });
  await expect(page.getByRole('heading', { level: 1, name: 'Thresholds' })).toBeVisible();
  // The decision is saved all the same (the screen writes a pending save as it goes)...
  await expect.poll(async () => (await storage(page))['thresholds/save/imran/self-paced'] ?? '').toContain('review~');
  // ...and nothing deferred puts the case's address back over the home screen's.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 200))));
  expect(new URL(page.url()).hash).toBe('#/');
  await expect(page.locator('.case-card[data-case="imran"] .save')).toContainText('In progress');
  expect(errors).toEqual([]);
});

test('corrupt, old, newer and no-longer-fitting saves leave the app working, with a message', async ({ page }) => {
  const errors = watchErrors(page);
  await page.addInitScript(() => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', '1');
    localStorage.setItem('thresholds/save/imran/self-paced', '{"not": "a save"}');
    localStorage.setItem('thresholds/save/tom/self-paced', 'thresholds-save 1\ntom 77\nask-danielle see-storage\n');
    localStorage.setItem('thresholds/save/abby/assessment', 'thresholds-save 9\ncase: abby\n');
    localStorage.setItem('thresholds/save/imran/facilitator', 'thresholds-save 2\ncase: imran\ncase-version: 1\nmode: facilitator\nseed: 3\nstarted: x\nsaved: 2026-11-20T10:00:00.000Z\naction: review~no-such-choice\n');
  });
  await page.goto('/');
  const notices = page.getByTestId('home-notices');
  await expect(notices).toContainText('A saved run could not be read because it is not saved progress this app can read');
  await expect(notices).toContainText('A copy was kept on this device');
  await expect(notices).toContainText('saved by a newer version of Thresholds');
  let kept = await storage(page);
  const backups = Object.keys(kept).filter((k) => k.startsWith('thresholds/backup/'));
  expect(backups).toHaveLength(1);
  expect(kept[backups[0]]).toBe('{"not": "a save"}');
  expect(kept['thresholds/save/imran/self-paced']).toBeUndefined();
  expect(kept['thresholds/save/abby/assessment']).toBe('thresholds-save 9\ncase: abby\n');

  // The old-format save is migrated and resumes.
  const tom = page.locator('.case-card[data-case="tom"] .save');
  await expect(tom).toContainText('2 decisions');
  // The save that no longer fits says why and can be removed, touching nothing else.
  const refused = page.locator('.case-card[data-case="imran"] .save.refused');
  await expect(refused).toContainText("cannot be resumed");
  await expect(refused).toContainText("action 1: step 'review' no longer offers the choice 'no-such-choice'");
  expect(await axeViolations(page)).toEqual([]);
  await refused.getByRole('button', { name: /^Remove it/ }).click();
  await expect(page.locator('.case-card[data-case="imran"] .save')).toHaveCount(0);
  kept = await storage(page);
  expect(kept['thresholds/save/imran/facilitator']).toBeUndefined();
  expect(kept['thresholds/save/tom/self-paced']).toContain('thresholds-save 1');
  expect(kept['thresholds/save/abby/assessment']).toBeDefined();

  await tom.getByRole('link', { name: /^Resume/ }).click();
  await expect(page.locator('#step-heading')).toContainText("Danielle's mother");
  await page.keyboard.press('1');
  await expect(page.getByTestId('turn')).toHaveText('3');
  expect(errors).toEqual([]);
});

test('storage that is unavailable, or throws on every write, does not stop play', async ({ page }) => {
  const errors = watchErrors(page);
  await page.addInitScript(() => {
    Storage.prototype.setItem = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
  });
  await gotoCase(page, '/#/case/abby?mode=self-paced&seed=9');
  await expect(page.getByTestId('notices')).toContainText('is not letting Thresholds save your progress (QuotaExceededError)');
  await expect(page.locator('#step-heading')).toBeVisible();
  await page.keyboard.press('1');
  await expect(page.getByTestId('turn')).toHaveText('1');
  await expect(page.getByTestId('notices')).toContainText('Your progress could not be saved just now (QuotaExceededError)');
  const decisions = await playPath(page, []);
  expect(decisions).toBeGreaterThan(5);
  await expect(page.locator('.debrief')).toBeVisible();
  expect(errors).toEqual([]);
});

test('with no storage at all, the app still runs and says so', async ({ page }) => {
  const errors = watchErrors(page);
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('Access is denied', 'SecurityError'); } });
  });
  await page.goto('/');
  await expect(page.getByTestId('home-notices')).toContainText('(SecurityError)');
  await page.locator('.case-card[data-case="tom"] .start a').click();
  await expect(page.locator('#step-heading')).toBeVisible();
  await page.keyboard.press('1');
  await expect(page.getByTestId('turn')).toHaveText('1');
  expect(await axeViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});

test('assessment mode withholds feedback and the panel until the debrief, and keeps reflections', async ({ page }) => {
  const errors = watchErrors(page);
  await gotoCase(page, '/#/case/imran?mode=assessment&seed=2013');
  await expect(page.getByTestId('mode')).toHaveText('Assessment');
  await expect(page.locator('.threshold-panel')).toContainText('opens in the debrief');
  await expect(page.locator('#panel-toggle')).toHaveCount(0);
  await page.locator('#reflection').fill('I would ask about the children before anything else.');
  await page.keyboard.press('Escape');
  await page.locator('#step-heading').focus();
  await page.keyboard.press('3'); // a poor choice
  const feedback = page.getByTestId('feedback');
  await expect(feedback).toContainText('Decision recorded: Keep the review on his recovery');
  await expect(feedback).not.toContainText('Poor practice');
  await expect(feedback.locator('.grade')).toHaveCount(0);
  await expect(page.locator('.service-row')).toHaveCount(0);
  expect(await axeViolations(page)).toEqual([]);

  // A share: recorded, judged only in the debrief.
  const form = page.locator('.share-form');
  await form.locator('summary').click();
  await form.getByLabel('Imran has hepatitis C').check();
  await form.getByLabel('With which service').selectOption('school');
  await form.getByLabel('no lawful basis', { exact: true }).check();
  await form.getByRole('button', { name: 'Share' }).click();
  await expect(feedback).toContainText('kept for the debrief');
  await expect(feedback).not.toContainText('over-sharing');

  await playPath(page, []);
  await page.locator('#reflection').fill('Looking back, I waited too long.');
  // The debrief shows everything: grades, scores, the panel.
  const debrief = page.locator('.debrief');
  await expect(debrief.locator('.decisions')).toContainText('Poor practice');
  await expect(page.locator('.debrief-summary .score[data-rubric="child-focus"]')).toBeVisible();
  await expect(page.locator('#section-reflections')).toContainText('I would ask about the children before anything else.');
  await expect(page.locator('#panel-toggle')).toBeVisible();
  await expect(page.locator('.record-meta')).toContainText('Assessment');
  // The printed record carries the final reflection too.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('#reflection-print')).toHaveText('Looking back, I waited too long.');
  await expect(page.locator('#reflection-print')).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  // The export says which mode, version, seed and when, with both reflections.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the record (JSON)' }).click()]);
  const { readFile } = await import('node:fs/promises');
  const record = JSON.parse(await readFile(await download.path(), 'utf8'));
  const ext = record[0].context.extensions;
  expect([ext['urn:thresholds:xapi:mode'], ext['urn:thresholds:xapi:version'], ext['urn:thresholds:xapi:seed']]).toEqual(['assessment', 2, 2013]);
  expect(record[0].timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  const reflections = record.filter((s) => s.verb.id === 'http://adlnet.gov/expapi/verbs/commented').map((s) => s.result.response);
  expect(reflections).toEqual(['I would ask about the children before anything else.', 'Looking back, I waited too long.']);
  expect(await axeViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});

test('"Clear my data on this device" removes every save, after asking', async ({ page }) => {
  const errors = watchErrors(page);
  await gotoCase(page, '/#/case/tom?mode=self-paced&seed=5');
  await expect(page.locator('#step-heading')).toBeVisible();
  await page.keyboard.press('1');
  await expect(page.getByTestId('turn')).toHaveText('1');
  await page.goto('/');
  await page.getByRole('radio', { name: /Facilitating a room/ }).check();
  await expect(page.locator('.case-card[data-case="tom"] .save')).toHaveCount(1);
  await page.getByRole('button', { name: 'Clear my data on this device' }).click();
  await expect(page.locator('#clear-confirm')).toBeFocused();
  expect(await axeViolations(page)).toEqual([]);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('home-notices')).toContainText('Cleared your data on this device');
  await expect(page.locator('.case-card .save')).toHaveCount(0);
  expect(Object.keys(await storage(page)).filter((k) => k.startsWith('thresholds/'))).toEqual([]);
  await expect(page.getByRole('radio', { name: /Self-paced/ })).toBeChecked();
  expect(errors).toEqual([]);
});
