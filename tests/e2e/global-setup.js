/**
 * Once per browser-test run: check for Chromium, and build the playground's admin panel (with this
 * plugin's admin in it) unless the build on disk was made from the same plugin admin bundle.
 * `strapi build` takes a minute or more on two cores, so the bundle's hash is kept next to the build.
 */
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { findChromium, NO_CHROMIUM } = require('./chromium');

const root = path.resolve(__dirname, '..', '..');
const appDir = path.join(root, 'playground');
const stampFile = path.join(appDir, 'build', '.crosspost-admin-hash');

function hashDir(dir, hash) {
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) hashDir(p, hash);
    else hash.update(name).update(fs.readFileSync(p));
  }
}

/** What the admin build depends on here: this plugin's admin bundle and the playground config. */
function adminDigest() {
  const hash = crypto.createHash('sha1');
  hashDir(path.join(root, 'dist', 'admin'), hash);
  for (const f of ['admin.js', 'server.js', 'plugins.js']) hash.update(fs.readFileSync(path.join(appDir, 'config', f)));
  return hash.digest('hex');
}

module.exports = async () => {
  if (!findChromium()) {
    if (process.env.CI === 'true') throw new Error(`${NO_CHROMIUM} CI=true: the browser tests are required.`);
    return; // the test files skip themselves; scripts/test.js prints the one message
  }
  const adminDist = path.join(root, 'dist', 'admin');
  if (!fs.existsSync(path.join(adminDist, 'index.mjs'))) {
    const res = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
    if (res.status !== 0) throw new Error('npm run build failed');
  }
  const digest = adminDigest();
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === digest && fs.existsSync(path.join(appDir, 'build', 'index.html'))) return;
  console.log('\n[e2e] building the playground admin panel (a few minutes on 2 cores)...');
  const started = Date.now();
  const res = spawnSync(path.join(root, 'node_modules', '.bin', 'strapi'), ['build'], {
    cwd: appDir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production', STRAPI_TELEMETRY_DISABLED: 'true' },
  });
  if (res.status !== 0) throw new Error('strapi build (playground admin) failed');
  fs.writeFileSync(stampFile, digest);
  console.log(`[e2e] admin built in ${Math.round((Date.now() - started) / 1000)} s`);
};
module.exports.adminDigest = adminDigest;
module.exports.stampFile = stampFile;
