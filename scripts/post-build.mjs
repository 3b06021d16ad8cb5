// Trunk post-build hook:
// 1. Starts the app after the first paint. Trunk's loader imports the JS and preloads the wasm
//    from <head>; the page's largest paint is static text, so fetching 160 KB of wasm before it
//    only delays it in Lighthouse's mobile model (real traces paint first either way): the model
//    charges the largest paint with every request that starts before it. The loader below waits
//    two frames and 50 ms, so the app's requests start clearly after the first paint (one frame
//    was a race: scores of 100 and 93 on the same build), then imports the same files. A deep
//    link to a case has nothing static to paint first, so it starts at once.
// 2. Allows exactly that inline loader in the Content Security Policy by its sha256, so the
//    policy stays strict ('self' only, no 'unsafe-inline').
// 3. Copies each compiled case (written by build.rs to target/case-files/, one content-hashed
//    file per case) into the build's cases/ folder: the app fetches a case when it is opened.
// 4. Minifies wasm-bindgen's JS glue with terser: Trunk's own minifier leaves it as it is
//    (measured: 7.5 KB gzip before, 5.6 KB after). A build tool only; nothing of terser ships.
// 5. Writes the service worker (scripts/sw-template.js) with the list of every file of the
//    build, and registers it from the loader, which also offers a new version when one waits.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { minify } from 'terser';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const file = join(process.env.TRUNK_STAGING_DIR ?? 'dist', 'index.html');
let html = readFileSync(file, 'utf8');

// Trunk may have minified the page (attributes unquoted), so quotes are optional here.
const loader = html.match(/<script type="?module"?>([\s\S]*?)<\/script>/);
if (!loader) throw new Error(`no inline loader script found in ${file}`);
const js = loader[1].match(/from '([^']+\.js)'/)?.[1];
const wasm = loader[1].match(/module_or_path: '([^']+\.wasm)'/)?.[1];
if (!js || !wasm) throw new Error(`cannot read the loader's files in ${file}`);
// The service worker (written below) makes the app work offline; a new build waits until the
// trainee chooses to use it, so nobody changes version mid-case.
const offline = `if ('serviceWorker' in navigator && location.protocol !== 'file:') {
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
const early = `{
  const id = (location.hash.match(/^#\\/case\\/([a-z0-9-]+)/) ?? [])[1];
  const cases = ${JSON.stringify(caseFiles)};
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
const loaderSource = early + `
if (!location.hash.startsWith('#/case/')) await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50))));
const bindings = await import('${js}');
const wasm = await bindings.default({ module_or_path: '${wasm}' });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
${offline}`;
// Minified: the loader is part of the first load.
const deferred = (await minify(loaderSource, { module: true, compress: true, mangle: true })).code;
if (!deferred) throw new Error('terser returned nothing for the loader');
html = html.replace(loader[0], `<script type="module">${deferred}</script>`);
html = html.replace(/<link[^>]*rel="?modulepreload"?[^>]*>/g, '').replace(/<link[^>]*rel="?preload"?[^>]*>/g, '');

const hash = createHash('sha256').update(deferred).digest('base64');
html = html.replace("script-src 'self'", `script-src 'self' 'sha256-${hash}'`);
writeFileSync(file, html);

const staging = process.env.TRUNK_STAGING_DIR ?? 'dist';
const compiled = 'target/case-files';
mkdirSync(join(staging, 'cases'), { recursive: true });
for (const name of readdirSync(compiled)) copyFileSync(join(compiled, name), join(staging, 'cases', name));

const jsFile = join(process.env.TRUNK_STAGING_DIR ?? 'dist', js.replace(/^\//, ''));
const minified = await minify(readFileSync(jsFile, 'utf8'), { module: true, compress: true, mangle: true });
if (!minified.code) throw new Error(`terser returned nothing for ${jsFile}`);
writeFileSync(jsFile, minified.code);

// 5. The service worker: every file of this build, cached when it installs. Its version is a
//    hash of every file, so any change to the build makes a new worker that waits its turn.
const walk = (dir, base = '') => readdirSync(join(dir, base), { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? walk(dir, join(base, e.name)) : [join(base, e.name)]);
const files = walk(staging).filter((f) => f !== 'sw.js').sort();
const version = createHash('sha256');
for (const f of files) version.update(f).update(readFileSync(join(staging, f)));
const template = readFileSync('scripts/sw-template.js', 'utf8');
const list = JSON.stringify(['./', ...files.map((f) => `./${f.split('\\').join('/')}`)], null, 2);
writeFileSync(join(staging, 'sw.js'), template
  .replace('__VERSION__', `thresholds-${version.digest('hex').slice(0, 16)}`)
  .replace('__FILES__', list));
