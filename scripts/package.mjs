// Writes what a trainer takes into a training room (issue 13), from the release build in dist/:
// - target/package/site/: the static site, to put on any static host (a council intranet,
//   GitHub Pages); after one visit it works offline (its service worker);
// - target/package/thresholds.html: the whole app in one file, every bundled case, the area,
//   the rubrics and the styles inside it, that runs by double-clicking it, opened as file://
//   with no network and nothing installed. Its Content Security Policy is as strict as the
//   site's: the inline module and styles are allowed by their hashes, WebAssembly by
//   'wasm-unsafe-eval', and nothing by 'unsafe-inline'.
// Usage: node scripts/package.mjs (scripts/package builds first).
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const dist = 'dist';
const out = 'target/package';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(dist, join(out, 'site'), { recursive: true });

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const files = readdirSync(dist);
const one = (pattern) => {
  const found = files.filter((f) => pattern.test(f));
  if (found.length !== 1) throw new Error(`expected one file like ${pattern} in ${dist}, found ${found.length}`);
  return found[0];
};
const mainCss = readFileSync(join(dist, one(/^main-.*\.css$/)), 'utf8');
const caseFiles = readdirSync(join(dist, 'cases'));
const caseCss = readFileSync(join(dist, 'cases', caseFiles.find((f) => f.endsWith('.css'))), 'utf8');

// The page's two programs (see src/lib.rs), both started at once here: the file holds them
// anyway, and each hides its part of the page on the other's screens. Each glue is an ES
// module ending in `export{… as default, …}`: inline, its init function is called with the
// wasm's bytes instead of a URL.
const program = (name) => {
  const glue = readFileSync(join(dist, one(new RegExp(`^${name}-[0-9a-f]{16}\\.js$`))), 'utf8');
  const wasm = readFileSync(join(dist, one(new RegExp(`^${name}-[0-9a-f]{16}_bg\\.wasm$`))));
  const exports = glue.match(/export\s*\{([^}]*)\}\s*;?\s*$/);
  if (!exports) throw new Error(`the JS glue of ${name} does not end in an export list`);
  const init = exports[1].split(',').map((s) => s.trim()).find((s) => / as default$/.test(s))?.replace(/ as default$/, '');
  if (!init) throw new Error(`the JS glue of ${name} exports no default (its init function)`);
  const module = `${glue.slice(0, exports.index)}
await ${init}({ module_or_path: Uint8Array.from(atob(document.getElementById('file:${name}.wasm').textContent.trim()), (c) => c.charCodeAt(0)) });
`;
  return { name, module, wasm };
};
const programs = [program('home'), program('thresholds')];

const sha = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
// Data blocks: not script, so neither run nor covered by the policy; the app reads them.
const block = (name, bytes) => `<script type="application/octet-stream" id="file:${name}">${bytes.toString('base64')}</script>`;
const blocks = [...programs.map((p) => block(`${p.name}.wasm`, p.wasm)), ...caseFiles.filter((f) => !f.endsWith('.css') && !f.endsWith('.md')).map((f) => block(`cases/${f}`, readFileSync(join(dist, 'cases', f))))];

const csp = `default-src 'none'; script-src ${programs.map((p) => sha(p.module)).join(' ')} 'wasm-unsafe-eval'; style-src ${sha(mainCss)} ${sha(caseCss)}; img-src data:; object-src 'none'; base-uri 'none'; form-action 'none'`;
let page = html
  .replace(/<meta[^>]*Content-Security-Policy[^>]*>/, `<meta http-equiv="Content-Security-Policy" content="${csp}">`)
  .replace(/<link[^>]*rel="?stylesheet"?[^>]*>/, `<style>${mainCss}</style><style id="case-styles">${caseCss}</style>`)
  .replace(/<link[^>]*rel="?manifest"?[^>]*>/, '')
  .replace(/<script type="?module"?>[\s\S]*?<\/script>/, () => programs.map((p) => `<script type="module">${p.module}</script>`).join(''));
page = page.replace('</body>', `${blocks.join('')}</body>`);
for (const must of ['<style id="case-styles">', 'id="file:home.wasm"', 'id="file:thresholds.wasm"', ...programs.map((p) => `<script type="module">${p.module}</script>`)]) {
  if (!page.includes(must)) throw new Error(`the single file lacks ${must}`);
}
if (/unsafe-inline/.test(page)) throw new Error("the single file's policy must not allow 'unsafe-inline'");
writeFileSync(join(out, 'thresholds.html'), page);
const kb = (n) => (n / 1000).toFixed(0);
console.log(`package: ${out}/thresholds.html (${kb(page.length)} kB, ${blocks.length} files inside) and ${out}/site/`);
