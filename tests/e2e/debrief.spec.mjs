import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { axeViolations, expectOneH1, gotoCase, pdfText, percent, playPath, watchErrors, watchRequests, IMRAN_GOOD, IMRAN_POOR } from './helpers.mjs';

test('the debrief scores a good path above a poor one, with chart, grid, print and exports', async ({ page }) => {
  const errors = watchErrors(page);
  const outside = watchRequests(page, 'http://127.0.0.1:4173');
  const scores = {};
  for (const [name, path] of [['poor', IMRAN_POOR], ['good', IMRAN_GOOD]]) {
    // A full load each time, as in play.spec.mjs: a change of address within the page can
    // race the address the app writes just after the last decision.
    await page.goto('about:blank');
    await gotoCase(page, '/#/case/imran?mode=self-paced&seed=2013');
    const decisions = await playPath(page, path);
    await expect(page.locator('.debrief')).toBeVisible();
    scores[name] = {};
    for (const rubric of ['information-sharing', 'child-focus', 'threshold-judgement', 'timeliness']) {
      scores[name][rubric] = await percent(page, rubric);
    }
    scores[name].decisions = decisions;
  }
  for (const rubric of ['information-sharing', 'child-focus', 'timeliness']) {
    expect(scores.good[rubric], rubric).toBeGreaterThan(scores.poor[rubric]);
  }
  expect(scores.good['threshold-judgement']).toBeGreaterThanOrEqual(scores.poor['threshold-judgement']);

  // The good run is on screen: a summary first, then sections that open. Each score lists the
  // marks behind it, linked to the decisions.
  const debrief = page.locator('.debrief');
  await expect(page.locator('.debrief-summary .score[data-rubric="child-focus"]')).toContainText('%');
  await expect(page.locator('.biggest-miss')).not.toBeEmpty();
  // Each section is a heading with a button that shows or hides it.
  const toggle = (id) => page.locator(`#section-${id} .section-toggle`);
  await expect(toggle('decisions')).toHaveAttribute('aria-expanded', 'true');
  await expect(page.locator('#section-decisions-body')).toBeVisible();
  await expect(toggle('chart')).toHaveAttribute('aria-expanded', 'false');
  await expect(page.locator('#section-chart-body')).toBeHidden();
  await expect(page.getByRole('heading', { level: 3, name: 'Each service\'s level at each decision' })).toBeVisible();
  await toggle('marks').click();
  await expect(page.locator('#section-marks-body')).toContainText('Ask about every child');
  await page.locator('#section-marks button[data-action="show-decision"][data-decision="1"]').first().click();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('decision-1');
  // A source's number opens the sources and goes to it, staying on the report.
  await page.locator('#section-decisions button.cite').first().click();
  await expect(page.locator('#section-sources-body')).toBeVisible();
  expect(await page.evaluate(() => document.activeElement?.id)).toMatch(/^source-\d+$/);
  await expect(page.locator('#step-heading')).toContainText('Ending');
  // The skip link moves focus, and the screen stays.
  await page.locator('.skip-link').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#step-heading')).toContainText('Ending');
  for (const id of ['chart', 'grid', 'timeline', 'expert']) {
    await toggle(id).press('Enter');
    await expect(toggle(id)).toHaveAttribute('aria-expanded', 'true');
    await expect(page.locator(`#section-${id}-body`)).toBeVisible();
  }

  // The chart: the full picture and one row per service, a cell per decision and the start.
  const chart = debrief.locator('table.level-chart');
  const services = await chart.locator('tbody tr[data-service]').count();
  expect(services).toBe(8);
  await expect(chart.locator('tbody tr')).toHaveCount(services + 1);
  await expect(chart.locator('tbody tr').first().locator('td')).toHaveCount(scores.good.decisions + 1);
  await expect(chart.locator('td.below').first()).toBeVisible();
  // The who-knew-what grid has a row per fact in play and a column per service; at 1280 px
  // both tables fit without scrolling sideways.
  const grid = debrief.locator('table.knowledge-grid');
  expect(await grid.locator('tbody tr').count()).toBeGreaterThan(5);
  await expect(grid.locator('thead th')).toHaveCount(services + 1);
  for (const table of ['table.level-chart', 'table.knowledge-grid']) {
    const fits = await page.locator(table).evaluate((t) => t.parentElement.scrollWidth <= t.parentElement.clientWidth);
    expect(fits, `${table} fits`).toBe(true);
  }
  await expect(debrief.locator('.timeline li strong', { hasText: 'Decision' })).toHaveCount(scores.good.decisions);
  await expect(debrief.locator('.expert li').first()).toBeVisible();
  await expectOneH1(page);
  expect(await axeViolations(page)).toEqual([]);

  // The printed record (Chromium's PDF, A4): every decision with its grade and reason, the
  // timeline, and no controls. Printing opens every section first.
  await page.locator('#learner-name').fill('Sam Student');
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.record-meta')).toBeVisible();
  await expect(page.locator('#name-print')).toHaveText('Sam Student');
  for (const hidden of ['.actions', '.panel-region', '.seed-form', '.notices', '#reflection']) {
    await expect(page.locator(hidden).first()).toBeHidden();
  }
  const reasons = await page.locator('.decision .reason').evaluateAll((rs) => rs.map((r) => r.innerText.trim()));
  const timeline = await page.locator('.timeline li').evaluateAll((ls) => ls.map((l) => l.innerText.trim()));
  expect(reasons).toHaveLength(scores.good.decisions);
  const pdf = await page.pdf({ format: 'A4' });
  const { text, pages } = await pdfText(pdf);
  console.log(`printed record: ${pages} A4 pages`);
  const squash = (s) => s.replace(/\s+/g, '');
  const printed = squash(text);
  expect(printed).toContain(squash('Sam Student'));
  for (const reason of reasons) expect(printed, 'a reason in the PDF').toContain(squash(reason.slice(0, 80)));
  expect(printed).toContain('Timeline');
  for (const entry of timeline) expect(printed, 'a timeline entry in the PDF').toContain(squash(entry.slice(0, 60)));
  expect(printed).toContain(squash('Who knew what, when'));
  await page.emulateMedia({ media: 'screen' });

  // Exports: JSON statements for every decision, and CSV, made in the page.
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the record (JSON)' }).click()]);
  expect(json.suggestedFilename()).toMatch(/^thresholds-imran-\d{4}-\d{2}-\d{2}\.json$/);
  // A list of xAPI statements (xapi.spec.mjs sends one to a real learning record store).
  const record = JSON.parse(await readFile(await json.path(), 'utf8'));
  const ext = (s, key) => s.context.extensions[`urn:thresholds:xapi:${key}`];
  expect(ext(record[0], 'mode')).toBe('self-paced');
  expect(ext(record[0], 'seed')).toBe(2013);
  expect(ext(record[0], 'version')).toBe(2);
  const chose = record.filter((s) => s.verb.id === 'http://adlnet.gov/expapi/verbs/answered');
  expect(chose).toHaveLength(scores.good.decisions);
  expect(chose[0].object.id).toBe('urn:thresholds:case:imran:step:review');
  expect(chose[0].result.response).toBe('ask-children');
  expect(record.some((s) => s.verb.id === 'http://adlnet.gov/expapi/verbs/completed')).toBe(true);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the decisions (CSV)' }).click()]);
  const csvText = await readFile(await csv.path(), 'utf8');
  expect(csvText.charCodeAt(0), 'a byte-order mark, so Excel reads UTF-8').toBe(0xfeff);
  const rows = csvText.trim().split('\n');
  expect(rows.filter((r) => r.includes('"decision"'))).toHaveLength(scores.good.decisions);
  expect(errors).toEqual([]);
  expect(outside).toEqual([]);
});

test('feedback after a decision names the rubric items it touched, with sources', async ({ page }) => {
  const errors = watchErrors(page);
  await gotoCase(page, '/#/case/imran?mode=self-paced&seed=1');
  await page.locator('#step-heading').waitFor();
  await page.keyboard.press('3'); // Keep the review on his recovery
  const feedback = page.getByTestId('feedback');
  await expect(feedback).toContainText('Poor practice');
  await expect(feedback).toContainText('For the children:');
  const marks = feedback.locator('.rubric-marks');
  await expect(marks).toContainText('Falls short on Treatment compliance is not child safety');
  await expect(marks).toContainText('Source: NSPCC');
  await expect(feedback.locator('.sources')).toContainText('Parents with alcohol and drug problems');
  expect(await axeViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});
