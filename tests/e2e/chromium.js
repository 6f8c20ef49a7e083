/**
 * Where Debian's Chromium is (CHROMIUM_PATH wins). Browser tests never download a browser:
 * `.ci/run` installs the `chromium` package with apt when it is missing.
 */
const fs = require('node:fs');
const path = require('node:path');

function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) candidates.push(path.join(dir, 'chromium'));
  return candidates.find((p) => p && fs.existsSync(p)) ?? null;
}

const NO_CHROMIUM =
  'Browser tests skipped: no Chromium found (set CHROMIUM_PATH, or install it: apt-get install -y chromium).';

module.exports = { findChromium, NO_CHROMIUM };
