// Trunk post-build hook: allows exactly Trunk's inline loader script in the Content Security
// Policy by adding its sha256, so the policy can stay strict ('self' only, no 'unsafe-inline').
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const file = join(process.env.TRUNK_STAGING_DIR ?? 'dist', 'index.html');
let html = readFileSync(file, 'utf8');
const hashes = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map(
  (m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`,
);
if (hashes.length === 0) throw new Error(`no inline loader script found in ${file}`);
html = html.replace("script-src 'self'", `script-src 'self' ${hashes.join(' ')}`);
writeFileSync(file, html);
