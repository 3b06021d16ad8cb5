// Writes a package for an organisation's own LMS from the release build in dist/ (issue 16):
// - SCORM 1.2 (the default): target/package/thresholds-scorm12.zip, imsmanifest.xml at the
//   root of the zip (no wrapper folder) listing every file; one SCO, index.html.
// - cmi5 (--standard cmi5): target/package/thresholds-cmi5.zip, cmi5.xml at the root; one AU,
//   index.html, which sends xAPI statements to the LMS's learning record store. The page's
//   Content-Security-Policy allows connections to the page's own origin and to the origins
//   given with --lrs (the store's and the token address's), and nowhere else.
// In both, <meta name="thresholds-lms"> tells the app it may report to the LMS (src/lms/):
// without that tag, or outside an LMS, nothing is ever sent; and the home screen's line about
// privacy says what goes to the LMS.
// Usage: node scripts/lms-package.mjs [--standard scorm12|cmi5] [--cases id,id]
//        [--mode self-paced|facilitator|assessment] [--mastery 0-100] [--lrs origin,origin]
//        [--out FILE]   (scripts/package --scorm or --cmi5 builds first and passes these on)
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';

const args = process.argv.slice(2);
/** A plain message and exit status 2, not a stack trace: these are the trainer's options. */
const fail = (why) => {
  console.error(`package: ${why}`);
  process.exit(2);
};
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const standard = option('standard', 'scorm12');
if (!['scorm12', 'cmi5'].includes(standard)) fail(`--standard must be scorm12 or cmi5, not ${standard}`);
const lrs = option('lrs', '') ? option('lrs').split(',') : [];
if (lrs.length && standard !== 'cmi5') fail('--lrs is for a cmi5 package: a SCORM package sends nothing itself');
const isOrigin = (o) => { try { const u = new URL(o); return /^https?:$/.test(u.protocol) && u.origin === o; } catch { return false; } };
for (const o of lrs) if (!isOrigin(o)) fail(`--lrs takes origins such as https://lrs.example.org (no path), not ${o}`);
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
// A SCORM package leaves out the cmi5 program; a cmi5 package's page loads it.
const entries = files.filter((f) => f !== 'sw.js' && (standard === 'cmi5' || !/^lms-/.test(f)));

const settings = [standard, `mode=${mode}`];
if (Number.isInteger(mastery) && option('mastery', mode === 'assessment' ? '80' : '') !== '') settings.push(`mastery=${mastery}`);
if (cases.length) settings.push(`cases=${cases.join(',')}`);
const page = readFileSync(join(dist, 'index.html'), 'utf8');
if (!page.includes('</head>')) throw new Error('index.html has no </head>');
// The built page is minified: attributes may be unquoted and in any order.
const privacy = /<p class="?privacy"?>[^<]*<\/p>/;
if (!privacy.test(page)) throw new Error('index.html has no privacy line to rewrite');
const csp = /(<meta [^>]*content="[^"]*connect-src )'self'(?=[^>]*Content-Security-Policy)/;
if (!csp.test(page)) throw new Error("index.html's policy has no connect-src 'self'");
const program = /<meta content="?([^" >]+)"? name="?thresholds-lms-program"?>|<meta name="?thresholds-lms-program"? content="?([^" >]+)"?>/.exec(page);
if (standard === 'cmi5' && !program) throw new Error('index.html does not name the cmi5 program');
const script = standard === 'cmi5' ? `<script type="module" src="${program[1] ?? program[2]}"></script>` : '';
const index = page
  .replace('</head>', `<meta name="thresholds-lms" content="${settings.join(' ')}">${script}</head>`)
  .replace(privacy, standard === 'cmi5'
    ? '<p class="privacy">When your organisation\'s learning management system starts this course, your decisions, your score and any reflections you write are sent to its learning record store. Nothing goes anywhere else.</p>'
    : '<p class="privacy">When your organisation\'s learning management system starts this course, your progress and your score are kept there. Nothing goes anywhere else.</p>')
  .replace(csp, `$1'self'${lrs.map((o) => ` ${o}`).join('')}`);

const xml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const title = `Thresholds${cases.length ? `: ${cases.join(', ')}` : ''} (${mode})`;
const description = 'Multi-agency safeguarding case studies where parents use drugs or alcohol: decisions scored on information sharing and child focus.';
const hasMastery = settings.some((s) => s.startsWith('mastery='));
const id = `urn:thresholds:course:${cases.length ? cases.join('-') : 'all'}:${mode}`;
const course = `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="${xml(id)}">
    <title><langstring lang="en-GB">${xml(title)}</langstring></title>
    <description><langstring lang="en-GB">${xml(description)}</langstring></description>
  </course>
  <au id="${xml(id)}:au" moveOn="${hasMastery && mode === 'assessment' ? 'CompletedAndPassed' : 'Completed'}"${hasMastery ? ` masteryScore="${mastery / 100}"` : ''} launchMethod="AnyWindow">
    <title><langstring lang="en-GB">${xml(title)}</langstring></title>
    <description><langstring lang="en-GB">${xml(description)}</langstring></description>
    <url>index.html</url>
  </au>
</courseStructure>
`;
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
  standard === 'cmi5' ? { name: 'cmi5.xml', data: Buffer.from(course, 'utf8') } : { name: 'imsmanifest.xml', data: Buffer.from(manifest, 'utf8') },
  ...entries.map((name) => ({ name, data: name === 'index.html' ? Buffer.from(index, 'utf8') : readFileSync(join(dist, name)) })),
];
const out = option('out', `target/package/thresholds-${standard}.zip`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, zip(items));
console.log(`package: ${out} (${Math.round(statSync(out).size / 1000)} kB, ${items.length} files: ${items[0].name} and the course's ${entries.length}; ${settings.join(' ')}${lrs.length ? `; connects to ${lrs.join(', ')}` : ''})`);
