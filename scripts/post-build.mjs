// Trunk post-build hook:
// 1. Writes the page's loader for its two programs (see src/lib.rs): the home screen, and the
//    case player, started when the address first needs it (a case, "About the law", "Your
//    cases"; the authoring desk's worker is a third program, started by that screen, and the
//    cmi5 program a fourth, loaded only by a cmi5 package's page), so the
//    first load carries only the home screen. The home screen starts after the first paint:
//    its largest paint is static text, and Lighthouse's mobile model charges the largest paint
//    with every request that starts before it; the loader waits two frames and 50 ms (one
//    frame was a race: scores of 100 and 93 on the same build). A deep link to a case's start
//    paints a still of its first step (built by build.rs), and the player starts once it has
//    painted, at most a second later; a deep link into the middle of a run starts it at once.
// 2. Allows exactly that inline loader in the Content Security Policy by its sha256, so the
//    policy stays strict ('self' only, no 'unsafe-inline').
// 3. Copies each compiled case (written by build.rs to target/case-files/, one content-hashed
//    file per case) into the build's cases/ folder: the app fetches a case when it is opened.
// 4. Minifies both programs' wasm-bindgen JS glue with terser: Trunk's own minifier leaves it as it is
//    (measured: 7.5 KB gzip before, 5.6 KB after). A build tool only; nothing of terser ships.
// 5. Writes the service worker (scripts/sw-template.js) with the list of every file of the
//    build, and registers it from the loader, which also offers a new version when one waits.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { minify } from 'terser';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const file = join(process.env.TRUNK_STAGING_DIR ?? 'dist', 'index.html');
let html = readFileSync(file, 'utf8');

// Trunk may have minified the page (attributes unquoted), so quotes are optional here.
const loader = html.match(/<script type="?module"?>([\s\S]*?)<\/script>/);
if (!loader) throw new Error(`no inline loader script found in ${file}`);
const staging = process.env.TRUNK_STAGING_DIR ?? 'dist';
// The home program is Trunk's "main": its files are named in Trunk's loader.
const homeJs = loader[1].match(/from '([^']+\.js)'/)?.[1];
const homeWasm = loader[1].match(/module_or_path: '([^']+\.wasm)'/)?.[1];
if (!homeJs || !homeWasm) throw new Error(`cannot read the loader's files in ${file}`);
// The player is built as a Trunk "worker" (one main per page), whose files are not content-
// hashed: hashed here like the others, so a browser never pairs an old glue with a new wasm.
const contentName = (name, ext) => {
  const body = readFileSync(join(staging, `${name}${ext}`));
  const named = `${name}-${createHash('sha256').update(body).digest('hex').slice(0, 16)}${ext}`;
  renameSync(join(staging, `${name}${ext}`), join(staging, named));
  return `./${named}`;
};
const playerJs = contentName('thresholds', '.js');
const playerWasm = contentName('thresholds', '_bg.wasm');
/** A program whose glue starts itself with its wasm (content-hashed), named to the page in a
 * meta tag; returns the glue's file name. */
const selfStarting = (name, meta) => {
  const wasm = contentName(name, '_bg.wasm');
  const glue = readFileSync(join(staging, `${name}.js`), 'utf8');
  if (!/__wbg_init as default/.test(glue)) throw new Error(`the ${name} glue has no __wbg_init to start it with`);
  writeFileSync(join(staging, `${name}.js`), `${glue}
await __wbg_init({ module_or_path: new URL('${wasm}', import.meta.url) });
`);
  const js = contentName(name, '.js');
  html = html.replace('</head>', `<meta name="${meta}" content="${js}"></head>`);
  return js;
};
// The authoring desk runs as a module Web Worker; the player reads its file's name.
const deskJs = selfStarting('desk', 'thresholds-desk');
// The cmi5 program (src/bin/lms.rs) runs in the page, but only a cmi5 package's page loads it
// (scripts/lms-package.mjs reads its name and adds its script).
const lmsJs = selfStarting('lms', 'thresholds-lms-program');
// The service worker (written below) makes the app work offline; a new build waits until the
// trainee chooses to use it, so nobody changes version mid-case.
// Not in a package for an LMS (scripts/lms-package.mjs adds its meta tag): the LMS serves the course.
const offline = `if ('serviceWorker' in navigator && location.protocol !== 'file:' && !document.querySelector('meta[name="thresholds-lms"]')) {
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => { if (reloading) location.reload(); });
  const offer = (worker) => {
    if (document.getElementById('new-version')) return;
    const note = document.createElement('div');
    note.id = 'new-version';
    note.className = 'new-version no-print';
    note.setAttribute('role', 'status');
    note.textContent = 'A new version of Thresholds is ready. Your progress is kept. ';
    const use = document.createElement('button');
    use.type = 'button';
    use.className = 'button small';
    use.textContent = 'Use the new version';
    use.addEventListener('click', () => { reloading = true; worker.postMessage('use-new-version'); });
    note.append(use);
    document.body.prepend(note);
  };
  navigator.serviceWorker.register('./sw.js').then((reg) => {
    if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
    reg.addEventListener('updatefound', () => {
      const worker = reg.installing;
      worker?.addEventListener('statechange', () => {
        if (worker.state === 'installed' && navigator.serviceWorker.controller) offer(worker);
      });
    });
  }).catch(() => {});
}
`;
// A deep link to a case: fetch what it needs (its file, the area, the rubrics, the case screen's
// styles) beside the wasm, not after it. Names from the compiled files build.rs wrote.
const compiledNames = readdirSync('target/case-files');
const named = (re) => compiledNames.filter((n) => re.test(n)).map((n) => `cases/${n}`);
const caseFiles = Object.fromEntries(compiledNames
  .filter((n) => n.endsWith('.bin') && !/^(area|rubrics|law)\./.test(n))
  .map((n) => [n.split('.')[0], `cases/${n}`]));
// A still of the case screen (build.rs, views::still_html), one per case and mode: on a deep
// link to a run's start it is shown, inert, as soon as it and the case's styles arrive, and the
// player replaces it whole. The step's text, the largest paint, no longer waits for the player.
const stills = Object.fromEntries(compiledNames
  .filter((n) => n.endsWith('.html'))
  .map((n) => [n.split('.')[0], `cases/${n}`]));
const caseCss = named(/^case\..*\.css$/)[0];
const early = `let stillShown = Promise.resolve();
{
  const id = (location.hash.match(/^#\\/case\\/([a-z0-9-]+)/) ?? [])[1];
  const cases = ${JSON.stringify(caseFiles)};
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const mode = query.get('mode') ?? 'self-paced';
  const still = !query.has('path') && ${JSON.stringify(stills)}[id + '-' + mode];
  if (still) {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = '${caseCss}';
    const styled = new Promise((done, failed) => { css.onload = done; css.onerror = failed; });
    document.head.append(css);
    stillShown = Promise.all([fetch(still).then((r) => (r.ok ? r.text() : Promise.reject(r.status))), styled]).then(([html]) => {
      const app = document.getElementById('app');
      if (app.children.length && !app.querySelector('[data-loader]')) return;
      const shown = document.createElement('div');
      shown.dataset.loader = '';
      shown.dataset.still = '';
      shown.innerHTML = '<p class="still-note" role="status">Opening…</p><div class="case-screen" inert>' + html + '</div>';
      const seed = query.get('seed');
      const seedText = shown.querySelector('[data-testid="seed"]');
      if (seed && seedText) seedText.textContent = seed;
      app.replaceChildren(shown);
      // On a projector the player shows the step at the top of the window: so does the still.
      if (mode === 'facilitator') {
        document.body.classList.add('presenter');
        shown.querySelector('#step-heading')?.scrollIntoView(true);
      }
      return new Promise((painted) => requestAnimationFrame(() => setTimeout(painted, 0)));
    }).catch(() => {});
  }
  if (cases[id]) {
    for (const [href, as] of [[cases[id], 'fetch'], ...${JSON.stringify(named(/^(area|rubrics)\./).map((h) => [h, 'fetch']).concat(named(/^case\..*\.css$/).map((h) => [h, 'style'])))}]) {
      const link = document.createElement('link');
      link.rel = 'preload';
      link.as = as;
      if (as === 'fetch') link.crossOrigin = 'anonymous';
      link.href = href;
      document.head.append(link);
    }
  }
}
`;
// Which program an address needs: the player for "About the law", "Your cases" and a case (as
// route::Route::parse reads them), the home screen for everything else. An address within the
// page (the skip link's "#main") is not a route: it starts the home screen only at first.
const loaderSource = early + `
const programs = { home: ['${homeJs}', '${homeWasm}'], player: ['${playerJs}', '${playerWasm}'] };
const started = {};
// While the player loads (the first case opened from the home screen), the trainee is told;
// if a program cannot load (offline before it was kept), they are told why, and the next
// address that needs it tries again.
const say = (text, role) => {
  const app = document.getElementById('app');
  if (!app.querySelector('[data-loader]') && app.children.length) return;
  const p = document.createElement('p');
  p.dataset.loader = '';
  p.setAttribute('role', role);
  p.textContent = text;
  app.replaceChildren(p);
};
const start = (name) => started[name] ??= (async () => {
  // A still already says it (and shows more): not replaced by the words alone.
  if (name === 'player' && !document.querySelector('#app [data-still]')) say('Opening…', 'status');
  const m = await import(programs[name][0]);
  await m.default({ module_or_path: programs[name][1] });
})().catch((e) => {
  delete started[name];
  if (name === 'player') document.getElementById('home').hidden = true;
  say('Thresholds could not load this part of the app (' + (e?.message ?? e) + '). Check the connection and reload the page.', 'alert');
});
const isRoute = (h) => h === '' || h === '#' || h.startsWith('#/');
const needs = (h) => {
  const parts = h.slice(1).split('?')[0].split('/').filter(Boolean);
  return isRoute(h) && ((parts.length === 1 && ['law', 'your-cases'].includes(parts[0])) || (parts.length === 2 && parts[0] === 'case')) ? 'player' : 'home';
};
addEventListener('hashchange', () => { if (isRoute(location.hash)) start(needs(location.hash)); });
const first = needs(location.hash);
if (first === 'player') {
  document.getElementById('home').hidden = true;
  // The still first (two small files, then one paint), so the player's download does not share
  // the network with them; at most a second, if they are slow or missing.
  await Promise.race([stillShown, new Promise((resolve) => setTimeout(resolve, 1000))]);
} else await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50))));
await start(first);
${offline}`;
// Minified: the loader is part of the first load.
const deferred = (await minify(loaderSource, { module: true, compress: true, mangle: true })).code;
if (!deferred) throw new Error('terser returned nothing for the loader');
html = html.replace(loader[0], `<script type="module">${deferred}</script>`);
html = html.replace(/<link[^>]*rel="?modulepreload"?[^>]*>/g, '').replace(/<link[^>]*rel="?preload"?[^>]*>/g, '');

const hash = createHash('sha256').update(deferred).digest('base64');
html = html.replace("script-src 'self'", `script-src 'self' 'sha256-${hash}'`);
writeFileSync(file, html);

const compiled = 'target/case-files';
mkdirSync(join(staging, 'cases'), { recursive: true });
for (const name of readdirSync(compiled)) copyFileSync(join(compiled, name), join(staging, 'cases', name));

for (const js of [homeJs, playerJs, deskJs, lmsJs]) {
  const jsFile = join(staging, js.replace(/^\//, ''));
  const minified = await minify(readFileSync(jsFile, 'utf8'), { module: true, compress: true, mangle: true });
  if (!minified.code) throw new Error(`terser returned nothing for ${jsFile}`);
  writeFileSync(jsFile, minified.code);
}

// 5. The service worker: every file of this build, cached when it installs. Its version is a
//    hash of every file, so any change to the build makes a new worker that waits its turn.
const walk = (dir, base = '') => readdirSync(join(dir, base), { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? walk(dir, join(base, e.name)) : [join(base, e.name)]);
// Not the cmi5 program: no page of this build loads it, and a cmi5 package has no worker.
const files = walk(staging).filter((f) => f !== 'sw.js' && !/^lms-/.test(f)).sort();
const version = createHash('sha256');
for (const f of files) version.update(f).update(readFileSync(join(staging, f)));
const template = readFileSync('scripts/sw-template.js', 'utf8');
const list = JSON.stringify(['./', ...files.map((f) => `./${f.split('\\').join('/')}`)], null, 2);
writeFileSync(join(staging, 'sw.js'), template
  .replace('__VERSION__', `thresholds-${version.digest('hex').slice(0, 16)}`)
  .replace('__FILES__', list));
