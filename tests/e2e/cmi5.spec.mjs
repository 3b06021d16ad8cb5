// cmi5 (issue 16): the packaged course launched as a cmi5 LMS launches it, sending its xAPI
// statements through the LMS (tests/e2e/cmi5-server.mjs, port 4179) to the real Ralph learning
// record store. The LMS's log says how often each statement was sent; Ralph says what it kept;
// Ralph's strict statement model (tests/lrs/validate.py) checks each statement whole.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { axeViolations, playPath, unzip, watchErrors, BUNDLED, IMRAN_GOOD } from './helpers.mjs';

const root = new URL('../..', import.meta.url).pathname;
const site = `${root}target/cmi5`;
const LMS = 'http://127.0.0.1:4179';
const RALPH = 'http://127.0.0.1:8100/xAPI/statements';
const auth = { Authorization: `Basic ${Buffer.from('thresholds:secret').toString('base64')}`, 'X-Experience-API-Version': '1.0.3' };
const actor = { objectType: 'Agent', account: { homePage: 'https://lms.example.org', name: 'learner-7' } };
const CMI5 = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const MOVEON = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
const SESSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
const python = `${process.env.THRESHOLDS_RALPH ?? `${process.env.HOME}/.cache/thresholds/ralph`}/bin/python`;
const strict = (statements) =>
  execFileSync(python, [`${root}tests/lrs/validate.py`], { input: JSON.stringify(statements) }).toString().trim().split('\n');

/** Makes a cmi5 package with these options and serves it at /<dir>/; returns its files. */
function course(dir, options) {
  const zip = `${root}target/lms-zips/cmi5-${dir}.zip`;
  execFileSync('node', [`${root}scripts/lms-package.mjs`, '--standard', 'cmi5', ...options, '--out', zip], { cwd: root });
  const files = unzip(readFileSync(zip));
  rmSync(join(site, dir), { recursive: true, force: true });
  for (const f of files) {
    mkdirSync(dirname(join(site, dir, f.name)), { recursive: true });
    writeFileSync(join(site, dir, f.name), f.data);
  }
  return files;
}

/** The AU's id, as the LMS reads it from the package's cmi5.xml. */
const auId = (dir) => /<au id="([^"]+)"/.exec(readFileSync(join(site, dir, 'cmi5.xml'), 'utf8'))[1];

/** An LMS launch of the course in `dir`: the address with cmi5's five parameters. */
async function launch(request, dir, settings = {}) {
  const registration = settings.registration ?? randomUUID();
  const answer = await request.post(`${LMS}/lms/launch`, { data: { ...settings, registration } });
  const { fetch, sessionid } = await answer.json();
  const query = new URLSearchParams({ endpoint: `${LMS}/xAPI/`, fetch, actor: JSON.stringify(actor), registration, activityId: auId(dir) });
  return { url: `${LMS}/${dir}/index.html?${query}`, registration, sessionid, activityId: auId(dir) };
}

/** What the LMS saw for one registration: its requests, and each POST of statements. */
async function seen(request, registration) {
  const log = await (await request.get(`${LMS}/lms/log`)).json();
  const posts = log.filter((e) => e.kind === 'statements' && e.statements.some((s) => s.context?.registration === registration));
  return {
    log: log.filter((e) => e.registration === registration),
    posts,
    sent: posts.filter((p) => p.status < 300).flatMap((p) => p.statements),
    unauthorised: log.filter((e) => e.kind === 'unauthorised' && e.registration === registration),
  };
}
const verbOf = (s) => s.verb.id.split('/').pop();
const isDefined = (s) => (s.context.contextActivities.category ?? []).some((c) => c.id === CMI5);
/** Every statement id accepted by the store once, never sent again after that. */
function expectEachAcceptedOnce(posts) {
  const ids = posts.filter((p) => p.status < 300).flatMap((p) => p.statements.map((s) => s.id));
  expect(new Set(ids).size, 'no statement sent twice').toBe(ids.length);
}
async function stored(request, registration) {
  const answer = await request.get(`${RALPH}?registration=${registration}&limit=500`, { headers: auth });
  expect(answer.status()).toBe(200);
  return (await answer.json()).statements;
}
/** Opens a case from the home screen, ready for keys. */
async function open(page, id) {
  await page.locator(`.case-card[data-case="${id}"] .start a`).click();
  await expect(page.locator('#step-heading')).toBeFocused();
}
/** The page's errors, but for the browser's report of a request made while offline, or of
 * the one refusal the test expects (403: an abandoned session's statements). */
function errorsOnline(page) {
  const errors = watchErrors(page);
  return () => errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|status of 403 \(Forbidden\)/.test(e));
}

test.beforeAll(() => {
  mkdirSync(site, { recursive: true });
  course('assessment', ['--mode', 'assessment', '--mastery', '80']);
  course('self-paced', ['--cases', 'tom,imran']);
});

test('the cmi5 package: cmi5.xml at the root, one AU, the mastery score, and a policy that names the store', () => {
  const files = course('listed', ['--mode', 'assessment', '--mastery', '75', '--cases', 'tom', '--lrs', 'https://lrs.example.org']);
  expect(files[0].name).toBe('cmi5.xml');
  const xml = files[0].data.toString('utf8');
  expect(xml).toContain('<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">');
  expect(xml.match(/<au /g)).toHaveLength(1);
  expect(xml).toMatch(/<au id="urn:thresholds:course:tom:assessment:au" moveOn="CompletedAndPassed" masteryScore="0.75" launchMethod="AnyWindow">/);
  expect(xml).toContain('<url>index.html</url>');
  const names = files.map((f) => f.name);
  expect(names).toContain('index.html');
  expect(names).not.toContain('sw.js');
  expect(names).not.toContain('imsmanifest.xml');
  const index = files.find((f) => f.name === 'index.html').data.toString('utf8');
  expect(index).toContain('<meta name="thresholds-lms" content="cmi5 mode=assessment mastery=75 cases=tom">');
  expect(index).toMatch(/<meta [^>]*content="[^"]*connect-src 'self' https:\/\/lrs\.example\.org;[^>]*Content-Security-Policy/);
  expect(index).not.toContain('nothing sent anywhere');
  expect(index).toContain('sent to its learning record store');
  // The cmi5 program, which no other build's page loads, is loaded by this one.
  const program = /<script type="module" src="\.\/(lms-[0-9a-f]{16}\.js)"><\/script>/.exec(index);
  expect(program).not.toBeNull();
  expect(names).toContain(program[1]);
  const fails = (args) => () => execFileSync('node', [`${root}scripts/lms-package.mjs`, ...args, '--out', `${root}target/lms-zips/x.zip`], { cwd: root, stdio: 'pipe' });
  expect(fails(['--standard', 'cmi5', '--lrs', 'https://lrs.example.org/xAPI/'])).toThrow(/origins such as/);
  expect(fails(['--lrs', 'https://lrs.example.org'])).toThrow(/--lrs is for a cmi5 package/);
});

test('launched by a cmi5 LMS: initialized first, each decision, completed and passed or failed, terminated last, each sent once, then back to the LMS', async ({ page, request }) => {
  const errors = watchErrors(page);
  const l = await launch(request, 'assessment', { masteryScore: 0.8, returnURL: `${LMS}/lms/returned.html` });
  await page.goto(l.url);
  await expect(page.locator('.case-card[data-case]')).toHaveCount(BUNDLED.length);
  const exit = page.getByRole('button', { name: 'Finish and return to your course' });
  await expect(exit).toBeVisible();
  await open(page, 'imran');
  await page.locator('#reflection').fill('I would ask who looks after the children first.');
  const decisions = await playPath(page, IMRAN_GOOD);
  await expect(page.locator('.debrief')).toBeVisible();
  // Sent as the learner plays: the judgement is there before the learner leaves.
  await expect.poll(async () => (await seen(request, l.registration)).sent.map(verbOf), { timeout: 15_000 }).toEqual(expect.arrayContaining(['passed']));
  expect(await axeViolations(page)).toEqual([]);
  await exit.click();
  await expect(page.getByRole('heading', { name: 'Back in the course' })).toBeVisible();
  await expect.poll(async () => (await seen(request, l.registration)).sent.map(verbOf), { timeout: 15_000 }).toContain('terminated');

  const { log, posts, sent, unauthorised } = await seen(request, l.registration);
  // The token asked for once, by POST; the launch data and the preferences read with it.
  expect(log.filter((e) => e.kind === 'fetch')).toEqual([{ kind: 'fetch', method: 'POST', registration: l.registration }]);
  const state = log.find((e) => e.kind === 'state');
  expect(state).toMatchObject({ stateId: 'LMS.LaunchData', activityId: l.activityId });
  expect(JSON.parse(state.agent)).toEqual(actor);
  expect(unauthorised).toEqual([]);
  expectEachAcceptedOnce(posts);
  expect(posts.filter((p) => p.status >= 300)).toEqual([]);

  // In order: initialized first, terminated last; the cmi5 verbs once each.
  const ordered = [...sent].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  expect(verbOf(ordered[0])).toBe('initialized');
  expect(verbOf(ordered.at(-1))).toBe('terminated');
  expect(sent.filter(isDefined).map(verbOf).sort()).toEqual(['completed', 'initialized', 'passed', 'terminated']);
  expect(sent.filter((s) => verbOf(s) === 'answered')).toHaveLength(decisions);
  for (const v of ['shared', 'commented']) expect(sent.map(verbOf)).toContain(v);
  for (const s of sent) {
    expect(s.actor).toEqual(actor);
    expect(s.context.registration).toBe(l.registration);
    // The LMS's context template kept whole in every statement.
    expect(s.context.extensions[SESSION]).toBe(l.sessionid);
    expect(s.context.contextActivities.grouping).toEqual([{ objectType: 'Activity', id: 'https://lms.example.org/publisher/thresholds' }]);
  }
  for (const s of sent.filter(isDefined)) expect(s.object.id).toBe(l.activityId);
  const passed = sent.find((s) => verbOf(s) === 'passed');
  expect(passed.result.success).toBe(true);
  expect(passed.result.score.scaled).toBeGreaterThanOrEqual(0.8);
  expect(passed.result.score).toMatchObject({ min: 0, max: 100, raw: Math.round(passed.result.score.scaled * 100) });
  expect(passed.context.extensions['https://w3id.org/xapi/cmi5/context/extensions/masteryscore']).toBe(0.8);
  expect(passed.context.contextActivities.category.map((c) => c.id)).toEqual([CMI5, MOVEON]);
  const completed = sent.find((s) => isDefined(s) && verbOf(s) === 'completed');
  expect(completed.result).toMatchObject({ completion: true });
  for (const s of [passed, completed, ordered.at(-1)]) expect(s.result.duration).toMatch(/^PT\d+\.\d{2}S$/);
  expect(sent.filter((s) => !isDefined(s)).every((s) => s.object.id.startsWith('urn:thresholds:case:imran'))).toBe(true);

  // Whole and well formed, and kept by the store once each.
  expect(strict(sent)).toEqual(sent.map(() => 'ok'));
  expect((await stored(request, l.registration)).map((s) => s.id).sort()).toEqual(sent.map((s) => s.id).sort());
  expect(errors).toEqual([]);
});

test('offline: statements wait on the device and go once when the network returns; after the page was closed offline, the new session sends the run', async ({ page, context, request }) => {
  const errors = errorsOnline(page);
  const l = await launch(request, 'self-paced');
  await page.goto(l.url);
  await open(page, 'tom');
  const turn = page.getByTestId('turn');
  const decide = async (n) => {
    await page.keyboard.press('1');
    await expect(turn).toHaveText(String(n));
    await page.keyboard.press('n');
  };
  const answered = async () => (await seen(request, l.registration)).sent.filter((s) => verbOf(s) === 'answered').length;
  await decide(1);
  await expect.poll(answered).toBe(1);

  await context.setOffline(true);
  await decide(2);
  await decide(3);
  await expect(page.getByText('cannot be reached just now')).toBeVisible();
  expect(await answered()).toBe(1);
  await context.setOffline(false);
  await expect.poll(answered, { timeout: 15_000 }).toBe(3);
  await expect(page.getByText('cannot be reached just now')).toHaveCount(0);

  // Closed while offline: the decision and "terminated" wait on the device. Launching the course
  // again, the LMS abandons that session (cmi5), and refuses its token: the app drops what it
  // kept of it and sends the run's own statements again in the new session, with the next
  // decision, so the run reaches the store whole.
  await context.setOffline(true);
  await decide(4);
  await page.goto('about:blank');
  await context.setOffline(false);
  expect(await answered()).toBe(3);
  expect((await seen(request, l.registration)).posts).toHaveLength(3);
  const again = await launch(request, 'self-paced', { registration: l.registration });
  await page.goto(again.url);
  const refusals = async () => (await seen(request, l.registration)).posts.filter((p) => p.status >= 300);
  await expect.poll(async () => (await refusals()).length, { timeout: 15_000 }).toBe(1);
  await page.locator('.case-card[data-case="tom"] .save a').click();
  await expect(page.locator('#step-heading')).toBeFocused();
  await expect(turn).toHaveText('4');
  if (await page.locator('#next-button').count()) await page.keyboard.press('n');
  await decide(5);
  await expect.poll(answered, { timeout: 15_000 }).toBe(5);
  const { posts, sent } = await seen(request, l.registration);
  expectEachAcceptedOnce(posts);
  const [refused] = await refusals();
  expect(refused.status).toBe(403);
  expect(refused.statements.map(verbOf).sort()).toEqual(['answered', 'terminated']);
  expect(refused.statements.every((s) => s.context.extensions[SESSION] === l.sessionid)).toBe(true);
  const inSession = (id) => sent.filter((s) => s.context.extensions[SESSION] === id).sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  expect(inSession(l.sessionid).map(verbOf)).toEqual(['initialized', 'answered', 'answered', 'answered']);
  const second = inSession(again.sessionid);
  expect(verbOf(second[0])).toBe('initialized');
  expect(second.filter((s) => verbOf(s) === 'answered')).toHaveLength(2);
  // The decision refused with the old session is the same statement (the same id) in the new.
  expect(second.map((s) => s.id)).toContain(refused.statements.find((s) => verbOf(s) === 'answered').id);
  expect(strict(sent)).toEqual(sent.map(() => 'ok'));
  expect((await stored(request, l.registration)).map((s) => s.id).sort()).toEqual(sent.map((s) => s.id).sort());
  expect(errors()).toEqual([]);
});

test('without a launch nothing is sent; a refused token or a browse launch sends what cmi5 allows and play goes on', async ({ page, request }) => {
  const errors = watchErrors(page);
  const origins = [];
  page.on('request', (r) => origins.push(r.url()));
  // The package opened directly: it says so and sends nothing.
  await page.goto(`${LMS}/self-paced/index.html`);
  await expect(page.getByText('was not launched by one')).toBeVisible();
  await open(page, 'tom');
  await page.keyboard.press('1');
  await expect(page.getByTestId('turn')).toHaveText('1');
  expect(origins.filter((u) => /\/(xAPI|lms)\//.test(u))).toEqual([]);

  // The ordinary build, given cmi5 parameters: nothing leaves it.
  const plain = await launch(request, 'self-paced');
  origins.length = 0;
  await page.goto(`http://127.0.0.1:4173/${new URL(plain.url).search}#/case/tom`);
  await expect(page.locator('#step-heading')).toBeFocused();
  await page.keyboard.press('1');
  await expect(page.getByTestId('turn')).toHaveText('1');
  expect(origins.filter((u) => !u.startsWith('http://127.0.0.1:4173/'))).toEqual([]);

  // The LMS refuses the token: one plain notice, and the case plays on.
  const refused = await launch(request, 'self-paced', { refuse: true });
  await page.goto(refused.url);
  await expect(page.getByText('did not let Thresholds report to it')).toBeVisible();
  await open(page, 'tom');
  await page.keyboard.press('1');
  await expect(page.getByTestId('turn')).toHaveText('1');
  expect(await axeViolations(page)).toEqual([]);

  // Browse: only initialized and terminated.
  const browse = await launch(request, 'self-paced', { launchMode: 'Browse' });
  await page.goto(browse.url);
  await open(page, 'tom');
  await page.keyboard.press('1');
  await expect(page.getByTestId('turn')).toHaveText('1');
  await page.goto('about:blank');
  await expect.poll(async () => (await seen(request, browse.registration)).sent.map(verbOf).sort()).toEqual(['initialized', 'terminated']);
  expect((await seen(request, refused.registration)).posts).toEqual([]);
  expect((await seen(request, plain.registration)).log).toEqual([]);
  expect(errors).toEqual([]);
});
