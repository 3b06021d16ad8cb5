import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { axeViolations, expectNothingHostileInPage, gotoCase, loadHome, playPath, watchErrors, BUNDLED } from './helpers.mjs';

// Trying an area re-checks every bundled case against it, every path of each (seven cases:
// 2.6 to 3.9 s on an idle machine, measured; more with two test workers on two cores). The
// wait is for that work to finish, not a measure of it (scripts/bench measures).
const AREA_TRIAL = { timeout: 30_000 };

// "Your cases", the authoring screen (issue 14): its checker runs in a worker of its own,
// fetched only when the screen opens; problems show with their lines as the trainer types.
const root = new URL('../..', import.meta.url).pathname;
const tom = readFileSync(`${root}scenarios/tom.md`, 'utf8');
const gotoLine = tom.split('\n').findIndex((l) => l.startsWith('goto: ')) + 1;
const broken = tom.replace(/^goto: .*$/m, 'goto: nowhere-at-all');
// Tom's case as a trainer's own: another id and title.
const mine = tom.replace(/^id: tom$/m, 'id: my-tom').replace(/^# .*$/m, '# My own Tom');

/** Opens "Your cases", types the trainer's own case, and waits for it to be checked sound. */
async function typeSoundCase(page) {
  await page.goto('/#/your-cases');
  const editor = page.getByRole('textbox', { name: /Case file text/ });
  await editor.fill(mine);
  await expect(page.getByTestId('desk-status')).toHaveText('new-case.md: no problems.');
  return editor;
}

test.use({ serviceWorkers: 'block' });

test('the checker is not fetched until the screen opens; a problem shows with its line, goes to it, and goes when fixed', async ({ page }) => {
  const errors = watchErrors(page);
  const fetched = await loadHome(page);
  expect(fetched.filter((p) => p.startsWith('/desk-'))).toEqual([]);

  await page.getByRole('link', { name: 'Your cases' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your cases' })).toBeFocused();
  const editor = page.getByRole('textbox', { name: /Case file text/ });
  await editor.fill(broken);
  const problem = page.locator('#desk-problems button', { hasText: `new-case.md:${gotoLine}:` });
  await expect(problem).toContainText('nowhere-at-all');
  await expect(page.getByTestId('desk-status')).toHaveText(/new-case\.md: \d+ problems?\./);
  const desk = fetched.filter((p) => p.startsWith('/desk-'));
  expect(desk).toHaveLength(2);
  expect(desk).toEqual(expect.arrayContaining([
    expect.stringMatching(/^\/desk-[0-9a-f]{16}\.js$/),
    expect.stringMatching(/^\/desk-[0-9a-f]{16}_bg\.wasm$/),
  ]));
  // The summary reads even a broken case.
  await expect(page.locator('#desk-summary')).toContainText('endings');
  expect(await axeViolations(page)).toEqual([]);

  // The problem's button puts the cursor on its line.
  await problem.click();
  await expect(editor).toBeFocused();
  const selected = await editor.evaluate((el) => el.value.slice(el.selectionStart, el.selectionEnd));
  expect(selected).toBe('goto: nowhere-at-all');

  // Typing the fix: the problem goes.
  await editor.fill(tom);
  await expect(page.locator('#desk-problems')).toHaveText('No problems.');
  await expect(page.getByTestId('desk-status')).toHaveText('new-case.md: no problems.');
  expect(errors).toEqual([]);
});

test('files opened together are each checked; a huge file and one that is not UTF-8 get a plain message', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#/your-cases');
  await expect(page.getByRole('heading', { level: 1, name: 'Your cases' })).toBeVisible();
  await page.getByLabel(/Choose one or more case files/).setInputFiles([
    { name: 'mine.md', mimeType: 'text/markdown', buffer: Buffer.from(broken) },
    { name: 'tom.md', mimeType: 'text/markdown', buffer: Buffer.from(tom) },
    { name: 'huge.md', mimeType: 'text/markdown', buffer: Buffer.alloc(500_000, 'a') },
    { name: 'latin1.md', mimeType: 'text/markdown', buffer: Buffer.from([0x23, 0x20, 0xe9, 0x0a]) },
  ]);
  const files = page.locator('#desk-files');
  await expect(files).toContainText('mine.md (1 problem), being edited');
  await expect(files).toContainText('tom.md (no problems)');
  await expect(files).toContainText('huge.md (1 problem)');
  const problems = page.locator('#desk-problems');
  await expect(problems).toContainText(`mine.md:${gotoLine}:`);
  await expect(problems).toContainText('huge.md:1: the file is 400 KB');
  await expect(problems).toContainText('latin1.md:1:');
  await expect(problems).toContainText('UTF-8');
  // Another file to the editor.
  await page.getByRole('button', { name: 'Edit tom.md' }).click();
  await expect(page.getByRole('textbox', { name: 'Case file text: tom.md' })).toBeFocused();
  await expect(files).toContainText('tom.md (no problems), being edited');
  await expect(page.locator('#desk-summary')).toContainText('level statements');
  expect(await axeViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});

test('a sound case is played at once, kept on this device, listed on the home screen, exported and removed', async ({ page }) => {
  const errors = watchErrors(page);
  const editor = await typeSoundCase(page);
  await page.getByRole('button', { name: 'Self-paced (My own Tom)' }).click();
  await expect(page).toHaveURL(/#\/case\/own-my-tom\?mode=self-paced/);
  await expect(page.locator('.case-header')).toContainText('My own Tom');
  const decisions = await playPath(page, []);
  expect(decisions).toBeGreaterThan(5);
  await expect(page.locator('.debrief')).toBeVisible();

  // On the home screen, with the bundled cases, marked as the trainer's own.
  await page.getByRole('link', { name: 'All cases' }).first().click();
  // Listed under its own heading, "Your cases".
  const card = page.locator('section[aria-labelledby="own-heading"] .case-card[data-case="own-my-tom"]');
  await expect(card).toContainText('Your case, kept on this device · version');
  await expect(page.locator('.case-card[data-case="tom"]')).toHaveCount(1);
  expect(await axeViolations(page)).toEqual([]);

  // Exported back as a file, then removed.
  await card.getByRole('link', { name: 'Edit it on Your cases' }).click();
  const kept = page.locator('#desk-kept');
  await expect(kept).toContainText('My own Tom');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    kept.getByRole('button', { name: 'Export My own Tom' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('new-case.md');
  expect(readFileSync(await download.path(), 'utf8')).toBe(mine);
  await kept.getByRole('button', { name: 'Remove My own Tom' }).click();
  await expect(page.getByTestId('desk-status')).toHaveText('Removed new-case.md from this device.');
  await expect(kept).toContainText('None yet');
  await page.getByRole('link', { name: 'Back to all cases' }).click();
  await expect(page.locator('.case-card[data-case="own-my-tom"]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('an imported hostile case is checked and played, and nothing in it runs', async ({ page }) => {
  const errors = watchErrors(page);
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await page.goto('/#/your-cases');
  await page.getByLabel(/Choose one or more case files/).setInputFiles(`${root}tests/fixtures/hostile.md`);
  await expect(page.locator('#desk-files')).toContainText('hostile.md (no problems), being edited');
  // Nothing of it runs on the authoring screen either (its summary and buttons hold its text).
  await expectNothingHostileInPage(page);
  // The file's own text is shown as text in the editor, its title as text in the buttons.
  await page.getByRole('button', { name: /^Facilitating a room/ }).click();
  const step = page.locator('.step');
  await expect(step).toContainText("<script>window.__pwned = 'block'</script>");
  await expectNothingHostileInPage(page);
  await page.getByRole('link', { name: 'All cases' }).first().click();
  await expect(page.locator('.case-card[data-case="own-hostile"]')).toBeVisible();
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  expect(dialogs).toBe(0);
  expect(errors).toEqual([]);
});

test('when storage is full, the trainer is told and nothing typed is lost', async ({ page }) => {
  const errors = watchErrors(page);
  await page.addInitScript(() => {
    Storage.prototype.setItem = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
  });
  await page.goto('/#/your-cases');
  const editor = page.getByRole('textbox', { name: /Case file text/ });
  await editor.fill(tom);
  await expect(page.getByTestId('desk-status')).toHaveText('new-case.md: no problems.');
  await page.getByRole('button', { name: /^Self-paced/ }).click();
  await expect(page.getByTestId('desk-status')).toContainText('could not be kept on this device (QuotaExceededError)');
  await expect(page).toHaveURL(/#\/your-cases$/);
  await expect(editor).toHaveValue(tom);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export new-case.md as a file' }).click(),
  ]);
  expect(readFileSync(await download.path(), 'utf8')).toBe(tom);
  expect(errors).toEqual([]);
});

test('a trainer switches every case to Wales and back, and to their own area with renamed levels', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#/your-cases');
  await page.getByRole('button', { name: 'Wales', exact: true }).click();
  const area = page.locator('section[aria-labelledby="desk-area-heading"]');
  await expect(area).toContainText('Continuum of need: Wales (Wales) loads with no problems', AREA_TRIAL);
  for (const { file } of BUNDLED) await expect(area).toContainText(`scenarios/${file}: every level statement holds.`, AREA_TRIAL);
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Use this area for every case on this device' }).click();
  await expect(page.getByTestId('desk-status')).toHaveText('Every case on this device now uses Continuum of need: Wales (Wales).');
  await expect(area).toContainText('In use on this device: Continuum of need: Wales (Wales), chosen here.');

  // The panel and "About the law" say so; the case text is unchanged.
  await gotoCase(page, '/#/case/tom?mode=self-paced&seed=3');
  await expect(page.locator('.threshold-panel')).toContainText('Levels: Continuum of need: Wales.');
  await expect(page.locator('.threshold-panel')).toContainText('Care and support needs: Part 3 assessment');
  await page.goto('/#/law');
  await expect(page.locator('#law-framework')).toHaveText('Continuum of need: Wales');

  // One action back to the built-in area.
  await page.goto('/#/your-cases');
  await page.getByRole('button', { name: 'Go back to the built-in area' }).click();
  await expect(page.getByTestId('desk-status')).toHaveText('Every case on this device uses the built-in area again.');
  await gotoCase(page, '/#/case/tom?mode=self-paced&seed=3');
  await expect(page.locator('.threshold-panel')).toContainText('Complex needs: child in need');

  // The trainer's own framework: a level renamed, opened as framework.md.
  const framework = readFileSync(`${root}scenarios/area/framework.md`, 'utf8').replace('name: Complex needs: child in need', 'name: Targeted: our level three');
  await page.goto('/#/your-cases');
  await page.getByLabel(/Choose one or more case files/).setInputFiles([{ name: 'framework.md', mimeType: 'text/markdown', buffer: Buffer.from(framework) }]);
  await expect(area).toContainText('loads with no problems', AREA_TRIAL);
  await page.getByRole('button', { name: 'Use this area for every case on this device' }).click();
  await gotoCase(page, '/#/case/tom?mode=self-paced&seed=3');
  await expect(page.locator('.threshold-panel')).toContainText('Targeted: our level three');
  expect(errors).toEqual([]);
});

test('a broken framework file shows each problem with its line, and no case is re-checked until it is fixed', async ({ page }) => {
  const errors = watchErrors(page);
  const framework = readFileSync(`${root}scenarios/area/framework.md`, 'utf8');
  const line = framework.split('\n').indexOf('short: 3') + 1;
  await page.goto('/#/your-cases');
  await page.getByLabel(/Choose one or more case files/).setInputFiles([{ name: 'framework.md', mimeType: 'text/markdown', buffer: Buffer.from(framework.replace('short: 3', 'short:')) }]);
  const problem = page.locator('#desk-problems button', { hasText: `framework.md:${line}:` });
  await expect(problem).toBeVisible();
  await expect(page.locator('section[aria-labelledby="desk-area-heading"]')).toContainText("The area's files have");
  await expect(page.getByRole('button', { name: 'Use this area for every case on this device' })).toHaveCount(0);
  expect(await axeViolations(page)).toEqual([]);
  await problem.click();
  const editor = page.getByRole('textbox', { name: 'Case file text: framework.md' });
  await expect(editor).toBeFocused();
  expect(await editor.evaluate((el) => el.value.slice(el.selectionStart, el.selectionEnd))).toBe('short:');
  await editor.fill(framework);
  await expect(page.locator('section[aria-labelledby="desk-area-heading"]')).toContainText('loads with no problems', AREA_TRIAL);
  expect(errors).toEqual([]);
});

test('an area with no fixed levels: the panel shows what each service would do, with no level names', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#/your-cases');
  await page.getByRole('button', { name: 'No fixed levels (England)' }).click();
  await expect(page.locator('section[aria-labelledby="desk-area-heading"]')).toContainText('loads with no problems', AREA_TRIAL);
  await page.getByRole('button', { name: 'Use this area for every case on this device' }).click();
  await expect(page.getByTestId('desk-status')).toContainText('now uses No fixed levels');
  await gotoCase(page, '/#/case/tom?mode=self-paced&seed=3');
  const panel = page.locator('.threshold-panel');
  await expect(panel).toContainText('uses no fixed levels: each service shows what it would do and what it is missing');
  await expect(panel.locator('.level')).toHaveCount(0);
  await expect(panel).not.toContainText('Complex needs: child in need');
  await expect(panel.locator('.does').first()).not.toBeEmpty();
  expect(await axeViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});

test('a file is never played on an out-of-date check, and no open file is overwritten by another of the same name', async ({ page }) => {
  const errors = watchErrors(page);
  const editor = await typeSoundCase(page);
  // A change, and Play at once: refused until the change is checked (here it breaks the case).
  await editor.fill(mine.replace(/^goto: .*$/m, 'goto: nowhere-at-all'));
  await page.getByRole('button', { name: 'Self-paced (My own Tom)' }).click();
  await expect(page).toHaveURL(/#\/your-cases$/);
  await expect(page.getByTestId('desk-status')).toHaveText(/new-case\.md: \d+ problems?\./);
  await expect(page.getByRole('button', { name: 'Self-paced (My own Tom)' })).toHaveCount(0);

  // Kept as it was checked sound; then another text in the editor, and the kept one opened:
  // both stay open, under two names.
  await editor.fill(mine);
  await expect(page.getByTestId('desk-status')).toHaveText('new-case.md: no problems.');
  await page.getByRole('button', { name: 'Assessment (My own Tom)' }).click();
  await expect(page).toHaveURL(/#\/case\/own-my-tom\?mode=assessment/);
  await page.goto('/#/your-cases');
  const other = '# Something else\n';
  await editor.fill(other);
  await page.locator('#desk-kept').getByRole('button', { name: 'Edit My own Tom' }).click();
  const files = page.locator('#desk-files');
  await expect(files).toContainText('new-case (2).md');
  await expect(page.getByRole('textbox', { name: 'Case file text: new-case (2).md' })).toHaveValue(mine);
  await page.getByRole('button', { name: 'Edit new-case.md' }).click();
  await expect(page.getByRole('textbox', { name: 'Case file text: new-case.md' })).toHaveValue(other);

  // Two files of the same name, opened together, are both kept apart.
  await page.getByLabel(/Choose one or more case files/).setInputFiles([
    { name: 'same.md', mimeType: 'text/markdown', buffer: Buffer.from(mine) },
    { name: 'same.md', mimeType: 'text/markdown', buffer: Buffer.from(broken) },
  ]);
  await expect(files).toContainText('same.md (no problems)');
  await expect(files).toContainText('same (2).md (1 problem)');
  expect(errors).toEqual([]);
});

test('case files dropped on the screen are opened and checked', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#/your-cases');
  await expect(page.getByRole('heading', { level: 1, name: 'Your cases' })).toBeVisible();
  const dropped = await page.evaluateHandle(([a, b]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([a], 'dropped.md', { type: 'text/markdown' }));
    dt.items.add(new File([b], 'also-dropped.md', { type: 'text/markdown' }));
    return dt;
  }, [mine, broken]);
  await page.dispatchEvent('#desk-drop', 'dragover', { dataTransfer: dropped });
  await page.dispatchEvent('#desk-drop', 'drop', { dataTransfer: dropped });
  const files = page.locator('#desk-files');
  await expect(files).toContainText('dropped.md (no problems), being edited');
  await expect(files).toContainText('also-dropped.md (1 problem)');
  await expect(page.getByRole('textbox', { name: 'Case file text: dropped.md' })).toHaveValue(mine);
  expect(errors).toEqual([]);
});
