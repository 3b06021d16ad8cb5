// Shared steps for the browser tests.
import { expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

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

export async function expectOneH1(page) {
  await expect(page.locator('h1:visible')).toHaveCount(1);
}

/** The id of the element that has focus. */
export function focusedId(page) {
  return page.evaluate(() => document.activeElement?.id ?? '');
}
