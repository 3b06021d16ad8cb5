// A cmi5 LMS as the browser tests need one (issue 16), on 127.0.0.1: it serves the unzipped
// cmi5 packages, answers what an LMS answers (the one-time token at the fetch address, the
// launch data, the learner's preferences) and passes statements through to the real learning
// record store, Ralph on 127.0.0.1:8100, logging each request so a test can count how often
// each statement was sent. Everything is on one origin, as when an LMS hosts its own content.
// As cmi5 requires of an LMS, each launch's token opens the store for that session only, and a
// new launch of a registration abandons the one before (its token is refused from then on).
// Usage: node cmi5-server.mjs <dir> <port>
//
// The test's own routes: POST /lms/launch {registration, launchMode, masteryScore, returnURL,
// refuse} sets up a launch and answers its fetch address; GET /lms/log is what happened.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';

const root = resolve(process.argv[2] ?? 'target/cmi5');
const port = Number(process.argv[3] ?? 4179);
const RALPH = 'http://127.0.0.1:8100/xAPI/statements';
const RALPH_AUTH = `Basic ${Buffer.from('thresholds:secret').toString('base64')}`;
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json', '.bin': 'application/octet-stream' };

const launches = new Map(); // fetch id -> launch settings
const byRegistration = new Map(); // registration -> latest launch
const byToken = new Map(); // auth-token -> launch
const log = []; // {kind, ...}

const body = (req) => new Promise((done) => {
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', () => done(Buffer.concat(parts)));
});
const json = (res, status, value) => res.writeHead(status, { 'content-type': 'application/json' }).end(value === undefined ? '' : JSON.stringify(value));
/** The launch whose token the request carries, if it is still open. */
const launchOf = (req) => byToken.get((req.headers.authorization ?? '').replace(/^Basic /, ''));

async function lms(req, res, url) {
  if (url.pathname === '/lms/launch' && req.method === 'POST') {
    const settings = JSON.parse((await body(req)).toString() || '{}');
    const id = randomUUID();
    const launch = { sessionid: randomUUID(), used: false, token: randomUUID(), ...settings };
    const before = byRegistration.get(settings.registration);
    if (before) before.abandoned = true;
    launches.set(id, launch);
    byRegistration.set(settings.registration, launch);
    return json(res, 200, { fetch: `http://127.0.0.1:${port}/lms/fetch/${id}`, sessionid: launch.sessionid });
  }
  if (url.pathname === '/lms/log') return json(res, 200, log);
  if (url.pathname.startsWith('/lms/fetch/')) {
    const launch = launches.get(url.pathname.slice('/lms/fetch/'.length));
    log.push({ kind: 'fetch', method: req.method, registration: launch?.registration });
    if (req.method !== 'POST') return json(res, 405, {});
    if (!launch || launch.refuse) return json(res, 200, { 'error-code': '2', 'error-text': 'not allowed' });
    if (launch.used) return json(res, 200, { 'error-code': '1', 'error-text': 'already used' });
    launch.used = true;
    byToken.set(launch.token, launch);
    return json(res, 200, { 'auth-token': launch.token });
  }
  if (url.pathname === '/lms/returned.html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html lang="en"><link rel="icon" href="data:,"><title>Course</title><h1>Back in the course</h1></html>');
  return null;
}

async function xapi(req, res, url) {
  const launch = launchOf(req);
  if (!launch || launch.abandoned) {
    log.push({ kind: 'unauthorised', path: url.pathname, registration: launch?.registration, abandoned: !!launch });
    if (launch && url.pathname === '/xAPI/statements') {
      let statements = [];
      try { statements = JSON.parse((await body(req)).toString()); } catch { /* logged as none */ }
      log.push({ kind: 'statements', statements, status: 403 });
    }
    return json(res, launch ? 403 : 401, { error: launch ? 'that session was abandoned' : 'no token' });
  }
  if (url.pathname === '/xAPI/activities/state') {
    log.push({ kind: 'state', registration: url.searchParams.get('registration'), stateId: url.searchParams.get('stateId'), agent: url.searchParams.get('agent'), activityId: url.searchParams.get('activityId') });
    if (launch.registration !== url.searchParams.get('registration') || url.searchParams.get('stateId') !== 'LMS.LaunchData') return json(res, 404, {});
    const data = {
      contextTemplate: {
        contextActivities: { grouping: [{ objectType: 'Activity', id: 'https://lms.example.org/publisher/thresholds' }] },
        extensions: { 'https://w3id.org/xapi/cmi5/context/extensions/sessionid': launch.sessionid },
      },
      launchMode: launch.launchMode ?? 'Normal',
      moveOn: 'CompletedAndPassed',
    };
    if (launch.masteryScore !== undefined) data.masteryScore = launch.masteryScore;
    if (launch.returnURL) data.returnURL = launch.returnURL;
    return json(res, 200, data);
  }
  if (url.pathname === '/xAPI/agents/profile') {
    log.push({ kind: 'profile', agent: url.searchParams.get('agent'), profileId: url.searchParams.get('profileId') });
    return json(res, 200, { languagePreference: 'en-GB', audioPreference: 'on' });
  }
  if (url.pathname === '/xAPI/statements' && req.method === 'POST') {
    const sent = await body(req);
    let statements = [];
    try { statements = JSON.parse(sent.toString()); } catch { /* Ralph says what is wrong */ }
    const answer = await fetch(RALPH, { method: 'POST', body: sent, headers: { authorization: RALPH_AUTH, 'content-type': 'application/json', 'x-experience-api-version': '1.0.3' } });
    const text = await answer.text();
    log.push({ kind: 'statements', statements, status: answer.status });
    return res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
  }
  return json(res, 404, {});
}

createServer(async (req, res) => {
  const url = new URL(req.url, `http://127.0.0.1:${port}`);
  try {
    if (url.pathname.startsWith('/lms/') && (await lms(req, res, url)) !== null) return;
    if (url.pathname.startsWith('/xAPI/')) return void (await xapi(req, res, url));
    const path = decodeURIComponent(url.pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(await readFile(file));
  } catch {
    if (!res.headersSent) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}).listen(port, '127.0.0.1', () => console.log(`cmi5 LMS on http://127.0.0.1:${port}, content from ${root}`));
