// Shared steps for the browser tests.
import { expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readdirSync, readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/**
 * Every bundled case, read from its file in scenarios/ (so a test over "every case" covers a
 * case added later): its file, id, title, seat (the trainee's service) and first step's title.
 */
export const BUNDLED = (() => {
  const dir = new URL('../../scenarios/', import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .sort()
    .map((file) => {
      const text = readFileSync(new URL(file, dir), 'utf8').replace(/\r\n/g, '\n');
      const field = (key, from = 0) => new RegExp(`^${key}: (.+)$`, 'm').exec(text.slice(from))[1].trim();
      const start = field('start');
      const trainee = text.indexOf('\ntrainee: yes');
      const seat = /^## service (\S+)/.exec(text.slice(text.lastIndexOf('\n## service ', trainee) + 1))[1];
      return {
        file,
        id: field('id'),
        title: /^# (.+)$/m.exec(text)[1].trim(),
        seat,
        first: field('title', text.indexOf(`\n## step ${start}\n`)),
      };
    });
})();

/**
 * Opens an address in the case player and waits for the player itself: on a deep link to a
 * run's start the page first shows an inert still of the step (issue 13), which looks the same
 * but takes no keys.
 */
export async function gotoCase(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('#app > :not([data-loader])'));
}

/** Fails the test on any uncaught error or console error in the page (a panic shows up here). */
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return errors;
}

/** Nothing may be fetched from anywhere but this server. */
export function watchRequests(page, origin) {
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) outside.push(r.url()); });
  return outside;
}

/** axe-core with the WCAG 2.0–2.2 A and AA rules; returns the violations. */
export async function axeViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/**
 * Loads the home screen and waits until the network is idle; returns the list of every path
 * the page fetches (growing as it fetches more), to assert what the first load held.
 */
export async function loadHome(page) {
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto('/');
  await expect(page.locator('.case-card[data-case]')).toHaveCount(BUNDLED.length);
  await page.waitForLoadState('networkidle');
  return fetched;
}

/** Nothing of a hostile case became an element, a handler or an unsafe link in the page. */
export async function expectNothingHostileInPage(page) {
  const main = page.locator('main');
  await expect(main.locator('script, iframe, img, object, embed')).toHaveCount(0);
  await expect(main.locator('[onerror], [onclick]')).toHaveCount(0);
  const hrefs = await main.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  expect(hrefs.filter((h) => /^\s*(javascript|data|vbscript):/i.test(h))).toEqual([]);
  return hrefs;
}

export async function expectOneH1(page) {
  await expect(page.locator('h1:visible')).toHaveCount(1);
}


/**
 * Plays the open case to its ending: at each step the first of `preferred` that is offered,
 * otherwise the first choice. Returns the number of decisions made.
 */
export async function playPath(page, preferred) {
  const heading = page.locator('#step-heading');
  // Already reading the feedback on a decision: on to the next step first.
  if (await page.locator('#next-button').count()) await page.keyboard.press('n');
  for (let decisions = 0; decisions < 40; decisions++) {
    await expect(heading).toBeVisible();
    if ((await heading.textContent()).startsWith('Ending')) return decisions;
    const offered = await page.locator('button.choice').evaluateAll((bs) => bs.map((b) => b.dataset.choice));
    const pick = preferred.find((id) => offered.includes(id));
    const before = await page.getByTestId('turn').textContent();
    if (pick) await page.locator(`button.choice[data-choice="${pick}"]`).click();
    else await page.keyboard.press('1');
    await expect(page.getByTestId('turn')).not.toHaveText(before);
    // Self-paced and facilitator modes pause on the feedback until the next step is asked for.
    if (await page.locator('#next-button').count()) await page.keyboard.press('n');
  }
  throw new Error('no ending after 40 decisions');
}

/** The debrief's score for a dimension, as a percentage. */
export async function percent(page, rubric) {
  return Number(await page.locator(`.score[data-rubric="${rubric}"]`).getAttribute('data-percent'));
}

export const IMRAN_GOOD = ['ask-children', 'secure-and-refer', 'day-in-the-life', 'assessment-request', 'support-assessment',
  'contribute-assessment', 'visit-together', 'review-and-tell', 'whole-family', 'contribute', 'call-999'];
export const IMRAN_POOR = ['recovery-only', 'not-my-client', 'keep-it-in', 'no-visit', 'keep-prescription', 'wait-for-more',
  'need-consent', 'keep-monitoring', 'agree-increase', 'drive-over', 'accept-decision', 'parent-tasks'];

/** The text of a PDF (Chromium's own, from page.pdf) and its number of pages, read by pdf.js. */
export async function pdfText(bytes) {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  let text = '';
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    text += content.items.map((i) => i.str).join(' ') + '\n';
  }
  return { text, pages: doc.numPages };
}

/** Every file in a zip, by its central directory: name and bytes. */
export function unzip(bytes) {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end, 'an end of central directory record').toBeGreaterThan(0);
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const files = [];
  for (let i = 0; i < count; i++) {
    expect(bytes.readUInt32LE(at)).toBe(0x02014b50);
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const raw = bytes.subarray(dataAt, dataAt + size);
    files.push({ name, data: method === 8 ? inflateRawSync(raw) : raw });
    at += 46 + nameLength + extra;
  }
  return files;
}
