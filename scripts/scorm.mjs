// Writes target/package/thresholds-scorm12.zip from the release build in dist/ (issue 16): a
// SCORM 1.2 package an organisation imports into its own LMS. imsmanifest.xml is at the root
// of the zip (no wrapper folder) and lists every file; the package is one SCO, index.html,
// whose <meta name="thresholds-lms"> tells the app it may report to the LMS (src/lms.rs):
// without that tag, or outside an LMS, nothing is ever sent.
// Usage: node scripts/scorm.mjs [--cases id,id] [--mode self-paced|facilitator|assessment]
//        [--mastery 0-100] [--out FILE]   (scripts/package --scorm builds first and passes these on)
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';

const args = process.argv.slice(2);
/** A plain message and exit status 2, not a stack trace: these are the trainer's options. */
const fail = (why) => {
  console.error(`scorm: ${why}`);
  process.exit(2);
};
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const mode = option('mode', 'self-paced');
if (!['self-paced', 'facilitator', 'assessment'].includes(mode)) fail(`--mode must be self-paced, facilitator or assessment, not ${mode}`);
const mastery = Number(option('mastery', mode === 'assessment' ? '80' : ''));
if (option('mastery', '') !== '' && !(Number.isInteger(mastery) && mastery >= 0 && mastery <= 100)) fail('--mastery must be a whole number from 0 to 100');
const dist = 'dist';
const known = readdirSync(join(dist, 'cases')).filter((f) => f.endsWith('.bin') && !/^(area|rubrics|law)\./.test(f)).map((f) => f.split('.')[0]);
const cases = option('cases', '') ? option('cases').split(',') : [];
for (const c of cases) if (!known.includes(c)) fail(`no case '${c}' in this build (cases: ${known.join(', ')})`);

// Every file of the build, but not the service worker: an LMS serves the package from its own
// paths, and the LMS, not the browser's cache, is where the course lives.
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(relative(dist, path).split('\\').join('/'));
  }
};
walk(dist);
const entries = files.filter((f) => f !== 'sw.js');

const settings = ['scorm12', `mode=${mode}`];
if (Number.isInteger(mastery) && option('mastery', mode === 'assessment' ? '80' : '') !== '') settings.push(`mastery=${mastery}`);
if (cases.length) settings.push(`cases=${cases.join(',')}`);
const page = readFileSync(join(dist, 'index.html'), 'utf8');
if (!page.includes('</head>')) throw new Error('index.html has no </head>');
const index = page.replace('</head>', `<meta name="thresholds-lms" content="${settings.join(' ')}"></head>`);

const xml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const title = `Thresholds${cases.length ? `: ${cases.join(', ')}` : ''} (${mode})`;
const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="thresholds-scorm12" version="1"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="thresholds">
    <organization identifier="thresholds">
      <title>${xml(title)}</title>
      <item identifier="thresholds-item" identifierref="thresholds-sco" isvisible="true">
        <title>${xml(title)}</title>${settings.some((s) => s.startsWith('mastery=')) ? `\n        <adlcp:masteryscore>${mastery}</adlcp:masteryscore>` : ''}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="thresholds-sco" type="webcontent" adlcp:scormtype="sco" href="index.html">
${entries.map((f) => `      <file href="${xml(f)}"/>`).join('\n')}
    </resource>
  </resources>
</manifest>
`;

// A zip by hand (local headers, deflated data, a central directory): node has deflate and
// CRC-32 built in, and a zip library would be a dependency for sixty lines.
const zip = (items) => {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const { name, data } of items) {
    const nameBytes = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data) >>> 0;
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(0x0800, 6);
    head.writeUInt16LE(8, 8); head.writeUInt16LE(0, 10); head.writeUInt16LE(0x21, 12);
    head.writeUInt32LE(crc, 14); head.writeUInt32LE(packed.length, 18); head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(nameBytes.length, 26); head.writeUInt16LE(0, 28);
    locals.push(head, nameBytes, packed);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0); dir.writeUInt16LE(20, 4); dir.writeUInt16LE(20, 6); dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(8, 10); dir.writeUInt16LE(0, 12); dir.writeUInt16LE(0x21, 14);
    dir.writeUInt32LE(crc, 16); dir.writeUInt32LE(packed.length, 20); dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(nameBytes.length, 28); dir.writeUInt32LE(offset, 42);
    central.push(dir, nameBytes);
    offset += head.length + nameBytes.length + packed.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(items.length, 8); end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(dirBytes.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBytes, end]);
};

const items = [
  { name: 'imsmanifest.xml', data: Buffer.from(manifest, 'utf8') },
  ...entries.map((name) => ({ name, data: name === 'index.html' ? Buffer.from(index, 'utf8') : readFileSync(join(dist, name)) })),
];
const out = option('out', 'target/package/thresholds-scorm12.zip');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, zip(items));
console.log(`scorm: ${out} (${Math.round(statSync(out).size / 1000)} kB, ${items.length} files: imsmanifest.xml and the SCO's ${entries.length}; ${settings.join(' ')})`);
