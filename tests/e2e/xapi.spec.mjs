// The JSON export is a list of xAPI 1.0.3 statements that a real learning record store takes
// as they are (issue 16): the Ralph LRS, started on 127.0.0.1:8100 by playwright.config.mjs
// (tests/lrs/start_lrs.py), receives a whole run's export, keeps it once, and refuses a broken
// statement; each statement also passes Ralph's strict statement model (tests/lrs/validate.py),
// which its HTTP API applies only in part.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gotoCase, playPath, watchErrors, IMRAN_GOOD } from './helpers.mjs';

const root = new URL('../..', import.meta.url).pathname;
const LRS = 'http://127.0.0.1:8100/xAPI/statements';
const headers = {
  Authorization: `Basic ${Buffer.from('thresholds:secret').toString('base64')}`,
  'X-Experience-API-Version': '1.0.3',
};
const python = `${process.env.THRESHOLDS_RALPH ?? `${process.env.HOME}/.cache/thresholds/ralph`}/bin/python`;
const strict = (statements) =>
  execFileSync(python, [`${root}tests/lrs/validate.py`], { input: JSON.stringify(statements) }).toString().trim().split('\n');

test('a whole run exported as JSON is accepted by a real learning record store, once, and a broken statement is refused', async ({ page, request }) => {
  const errors = watchErrors(page);
  await gotoCase(page, '/#/case/imran?mode=assessment&seed=2013');
  await page.locator('#reflection').fill('I would ask who looks after the children first.');
  const decisions = await playPath(page, IMRAN_GOOD);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the record (JSON)' }).click()]);
  const statements = JSON.parse(readFileSync(await download.path(), 'utf8'));
  const verbs = statements.map((s) => s.verb.id.split('/').pop());
  expect(verbs.filter((v) => v === 'answered')).toHaveLength(decisions);
  for (const v of ['shared', 'completed', 'commented']) expect(verbs, v).toContain(v);

  // Ralph's strict model: every statement whole and well formed.
  expect(strict(statements)).toEqual(statements.map(() => 'ok'));
  // ... and it is a real check: an unknown field, or a score out of range, is refused.
  const done = statements.find((s) => s.verb.id.endsWith('/completed'));
  expect(strict([{ ...statements[0], note: 'extra' }, { ...done, result: { ...done.result, score: { ...done.result.score, scaled: 2 } } }]).filter((v) => v !== 'ok')).toHaveLength(2);

  // Sent as it is: stored, with its own ids.
  const sent = await request.post(LRS, { headers, data: statements });
  expect(sent.status(), await sent.text()).toBe(200);
  expect(await sent.json()).toEqual(statements.map((s) => s.id));
  // The same export again: nothing new is stored.
  expect((await request.post(LRS, { headers, data: statements })).status()).toBe(204);
  const back = await request.get(`${LRS}?registration=${statements[0].context.registration}&limit=500`, { headers });
  expect(back.status()).toBe(200);
  expect((await back.json()).statements.map((s) => s.id).sort()).toEqual(statements.map((s) => s.id).sort());
  // A statement with no verb is refused (422): the store validates what it is sent.
  const { verb, ...noVerb } = statements[0];
  expect(verb).toBeTruthy();
  const refused = await request.post(LRS, { headers, data: [{ ...noVerb, id: '0b9e8b1e-2f4c-4a55-9d41-7f3e0c2a1b99' }] });
  expect(refused.status()).toBe(422);
  expect(errors).toEqual([]);
});
