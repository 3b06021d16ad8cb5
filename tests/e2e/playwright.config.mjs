// Browser tests run against the release build in Debian's Chromium (no Playwright browser
// download is possible on these machines). scripts/test builds dist/ and dist-hostile/ first.
import { defineConfig } from '@playwright/test';

const root = new URL('../..', import.meta.url).pathname;

export default defineConfig({
  testDir: '.',
  outputDir: `${root}target/playwright-output`,
  timeout: 60_000,
  workers: 2,
  reporter: [['list']],
  use: {
    baseURL: 'http://127.0.0.1:4173',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  webServer: [
    { command: `node ${root}tests/e2e/static-server.mjs ${root}dist 4173`, url: 'http://127.0.0.1:4173/', reuseExistingServer: false },
    { command: `node ${root}tests/e2e/static-server.mjs ${root}target/dist-hostile 4174`, url: 'http://127.0.0.1:4174/', reuseExistingServer: false },
    // The update test "deploys" a new build by naming another directory in this file.
    { command: `node ${root}tests/e2e/static-server.mjs ${root}dist 4177 ${root}target/deployed.txt`, url: 'http://127.0.0.1:4177/', reuseExistingServer: false },
    // The SCORM tests: a host page with scorm-again's API and the unzipped packages (scorm.spec).
    { command: `mkdir -p ${root}target/lms && echo ready > ${root}target/lms/ready.txt && node ${root}tests/e2e/static-server.mjs ${root}target/lms 4178`, url: 'http://127.0.0.1:4178/ready.txt', reuseExistingServer: false },
    // A cmi5 LMS (cmi5.spec): the unzipped packages, the LMS's token and launch data, and
    // statements passed through to Ralph, each request logged.
    { command: `mkdir -p ${root}target/cmi5 && node ${root}tests/e2e/cmi5-server.mjs ${root}target/cmi5 4179`, url: 'http://127.0.0.1:4179/lms/log', reuseExistingServer: false },
    // The Ralph learning record store (xapi.spec), installed by scripts/setup --for-tests.
    { command: `${process.env.THRESHOLDS_RALPH ?? `${process.env.HOME}/.cache/thresholds/ralph`}/bin/python ${root}tests/lrs/start_lrs.py`, url: 'http://127.0.0.1:8100/__lbheartbeat__', reuseExistingServer: false, timeout: 60_000 },
  ],
});
