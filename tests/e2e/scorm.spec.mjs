// The SCORM 1.2 package (issue 16) in a real SCORM runtime: scorm-again's API in a host page,
// the packaged course in a frame, as an LMS serves it. The packages are made here from the
// release build (scripts/lms-package.mjs), unzipped by the test's own reader (so the zip itself is
// checked), and served on port 4178 (playwright.config.mjs).
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { axeViolations, unzip, watchErrors, BUNDLED } from './helpers.mjs';

const root = new URL('../..', import.meta.url).pathname;
const site = `${root}target/lms`;
const LIMIT = 4096;

/** Makes a package with these options and serves it at /<dir>/ beside the host page. */
function course(dir, options) {
  const zip = `${root}target/lms-zips/${dir}.zip`;
  execFileSync('node', [`${root}scripts/lms-package.mjs`, ...options, '--out', zip], { cwd: root });
  const files = unzip(readFileSync(zip));
  rmSync(join(site, dir), { recursive: true, force: true });
  for (const f of files) {
    mkdirSync(dirname(join(site, dir, 'course', f.name)), { recursive: true });
    writeFileSync(join(site, dir, 'course', f.name), f.data);
  }
  cpSync(`${root}tests/fixtures/lms/host.html`, join(site, dir, 'host.html'));
  cpSync(`${root}node_modules/scorm-again/dist/scorm12.min.js`, join(site, dir, 'scorm12.min.js'));
  return files;
}

const calls = (page) => page.evaluate(() => window.calls);
const cmi = (page) => page.evaluate(() => JSON.parse(JSON.stringify(window.API.renderCommitCMI(true).cmi)));
const frame = (page) => page.frameLocator('#course');

test.beforeAll(() => {
  mkdirSync(site, { recursive: true });
  course('assessment', ['--mode', 'assessment', '--mastery', '80']);
  course('tom', ['--cases', 'tom']);
});

test('the package: imsmanifest.xml at the root, one SCO, every file listed, the settings in the page', () => {
  const files = course('listed', ['--mode', 'assessment', '--mastery', '75', '--cases', 'tom,imran']);
  const names = files.map((f) => f.name);
  expect(names[0]).toBe('imsmanifest.xml');
  const manifest = files[0].data.toString('utf8');
  expect(manifest).toContain('<schemaversion>1.2</schemaversion>');
  expect(manifest.match(/adlcp:scormtype="sco"/g)).toHaveLength(1);
  expect(manifest).toContain('<adlcp:masteryscore>75</adlcp:masteryscore>');
  for (const name of names.slice(1)) expect(manifest).toContain(`<file href="${name}"/>`);
  expect(manifest.match(/<file href=/g)).toHaveLength(names.length - 1);
  expect(names).toContain('index.html');
  expect(names.filter((n) => n.startsWith('lms-')), 'no cmi5 program in a SCORM package').toEqual([]);
  expect(names.some((n) => n.includes('/'))).toBe(true);
  expect(names.every((n) => !n.startsWith('dist/') && !n.startsWith('/')), 'no wrapper folder').toBe(true);
  const index = files.find((f) => f.name === 'index.html').data.toString('utf8');
  expect(index).toContain('<meta name="thresholds-lms" content="scorm12 mode=assessment mastery=75 cases=tom,imran">');
  expect(() => execFileSync('node', [`${root}scripts/lms-package.mjs`, '--cases', 'nobody', '--out', `${root}target/lms-zips/x.zip`], { cwd: root, stdio: 'pipe' })).toThrow(/no case 'nobody'/);
});

test('in an LMS: started, each decision reported and committed, resumed from suspend_data, passed or failed at the end, finished on leaving', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('http://127.0.0.1:4178/assessment/host.html');
  const app = frame(page);
  await expect(app.locator('.case-card[data-case]')).toHaveCount(BUNDLED.length);
  await expect(app.getByRole('heading', { name: 'How this course is played' })).toBeVisible();
  await expect(app.locator('#home')).toContainText('Assessment');
  expect((await calls(page))[0]).toEqual(['LMSInitialize']);
  await app.locator('.case-card[data-case="tom"] .start a').click();
  await expect(app.locator('#step-heading')).toBeVisible();
  for (const n of ['1', '2', '3']) {
    await app.locator('button.choice').first().click();
    await expect(app.getByTestId('turn')).toHaveText(n);
  }
  await expect.poll(async () => (await calls(page)).filter((c) => c[0] === 'LMSCommit').length).toBeGreaterThanOrEqual(3);
  let data = await cmi(page);
  expect(data.core.lesson_status).toBe('incomplete');
  expect(data.core.lesson_location).toMatch(/^tom:[a-z0-9-]+$/);
  expect(data.core.exit).toBe('suspend');
  expect(data.suspend_data.length).toBeGreaterThan(0);
  expect(data.suspend_data.length).toBeLessThanOrEqual(LIMIT);
  expect(data.suspend_data).toContain('case: tom');
  const at = await app.locator('#step-heading').textContent();

  // A new session in the LMS, on a computer that kept nothing: the run comes back from
  // suspend_data, at the same step.
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) localStorage.removeItem(k); });
  await page.reload();
  await expect(app.locator('#step-heading')).toHaveText(at);
  await expect(app.getByTestId('turn')).toHaveText('3');

  // To the end: passed or failed against the mastery score, with the score.
  let decisions = 3;
  while (await app.locator('button.choice').count()) {
    await app.locator('button.choice').first().click();
    decisions += 1;
    await expect(app.getByTestId('turn')).toHaveText(String(decisions));
  }
  await expect.poll(async () => (await cmi(page)).core.lesson_status).toMatch(/^(passed|failed)$/);
  data = await cmi(page);
  expect(Number(data.core.score.raw)).toBeGreaterThanOrEqual(0);
  expect(Number(data.core.score.raw)).toBeLessThanOrEqual(100);
  expect(data.core.score.min).toBe('0');
  expect(data.core.score.max).toBe('100');
  expect(data.core.lesson_status).toBe(Number(data.core.score.raw) >= 80 ? 'passed' : 'failed');
  expect(data.core.exit).toBe('');
  expect(data.suspend_data.length).toBeLessThanOrEqual(LIMIT);
  await expect(app.locator('.debrief')).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);

  // Leaving: the time spent, then LMSFinish, once.
  await page.evaluate(() => document.getElementById('course').remove());
  const log = await calls(page);
  const finish = log.findIndex((c) => c[0] === 'LMSFinish');
  expect(finish).toBeGreaterThan(0);
  expect(log.filter((c) => c[0] === 'LMSFinish')).toHaveLength(1);
  const time = log.find((c) => c[1] === 'cmi.core.session_time');
  expect(time?.[2]).toMatch(/^\d{4}:\d{2}:\d{2}\.\d{2}$/);
  expect(log.findIndex((c) => c[1] === 'cmi.core.session_time')).toBeLessThan(finish);
  expect(errors).toEqual([]);
});

test('suspend_data stays within 4096 characters to the end of every case, reflections and all', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('http://127.0.0.1:4178/assessment/host.html');
  const app = frame(page);
  for (const { id } of BUNDLED) {
    await page.evaluate(() => { window.calls = []; });
    await app.locator('body').evaluate((_, id) => { location.hash = `#/case/${id}?mode=assessment&seed=2013`; }, id);
    await expect(app.locator('#step-heading')).toBeVisible();
    let turn = 0;
    while (await app.locator('button.choice').count()) {
      // A long reflection at every step, as a thorough student writes.
      const box = app.getByRole('textbox').first();
      if (await box.count()) await box.fill(`At step ${turn} I would ask again, and write down why. `.repeat(12));
      await app.locator('button.choice').first().click();
      turn += 1;
      await expect(app.getByTestId('turn')).toHaveText(String(turn));
    }
    await expect.poll(async () => (await cmi(page)).core.lesson_status).toMatch(/^(passed|failed)$/);
    const sizes = (await calls(page)).filter((c) => c[1] === 'cmi.suspend_data').map((c) => c[2].length);
    expect(sizes.length, id).toBeGreaterThanOrEqual(turn);
    expect(Math.max(...sizes), id).toBeLessThanOrEqual(LIMIT);
    // The reflections were there, and more than fit: the limit was met by leaving some out.
    const last = (await calls(page)).filter((c) => c[1] === 'cmi.suspend_data').pop()[2];
    expect(last, id).toContain('reflect: ');
    expect(Math.max(...sizes), id).toBeGreaterThan(LIMIT - 700);
    await app.locator('body').evaluate(() => { location.hash = '#/'; });
  }
});

test('an LMS that refuses the record: one plain notice, and play goes on', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('http://127.0.0.1:4178/tom/host.html?failing');
  const app = frame(page);
  await expect(app.locator('.case-card[data-case]')).toHaveCount(1);
  await app.locator('.case-card[data-case="tom"] .start a').click();
  for (const n of ['1', '2']) {
    await app.locator('button.choice').first().click();
    await expect(app.getByTestId('turn')).toHaveText(n);
    await app.locator('body').press('n');
  }
  await expect(app.getByText('did not accept the latest record')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('packaged but opened with no LMS: it says so, plays, and sends nothing', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('http://127.0.0.1:4178/tom/course/index.html');
  await expect(page.getByText('packaged for a learning management system, but none answered')).toBeVisible();
  await expect(page.locator('.case-card[data-case]')).toHaveCount(1);
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).origin));
  await page.locator('.case-card[data-case="tom"] .start a').click();
  await expect(page.locator('#step-heading')).toBeFocused();
  await page.keyboard.press('1');
  await expect(page.getByTestId('turn')).toHaveText('1');
  expect(requests.every((o) => o === 'http://127.0.0.1:4178'), requests.join(' ')).toBe(true);
  expect(errors).toEqual([]);
});
