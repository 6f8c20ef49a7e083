#!/usr/bin/env node
/**
 * `npm test`: builds the plugin (the test app loads it from dist/ like a user's app would), then runs
 * the unit tests and the integration suite against a real Strapi on SQLite, and again on PostgreSQL
 * when one answers on 127.0.0.1:5432 (and the route tests once more with the plugin loaded from a package
 * folder), followed by the fault-injection suite, which needs PostgreSQL for its multi-process kill -9 test
 * (CI sets CROSSPOST_REQUIRE_POSTGRES=1 to make both mandatory), and the browser tests (tests/e2e, Debian's
 * Chromium; skipped with one message when none is installed, except in CI).
 * Ends with one plain line "N passed, N failed, N skipped".
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { reachable, redisUrlFrom, START_REDIS_HINT } = require('./lib');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const extraArgs = process.argv.slice(2);

function run(cmd, args, env = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return res.status ?? 1;
}

// Failing tests, printed again at the very end: CI logs are often read from the bottom, and a failure
// thousands of lines up is easy to miss.
const failures = [];

/** The first lines of a failure message, without colour codes, so the closing list stays short. */
function firstLines(text, count = 4) {
  return String(text || '')
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(0, count);
}

function collectFailures(label, report) {
  for (const file of report.testResults || []) {
    const rel = path.relative(root, file.name);
    const failed = (file.assertionResults || []).filter((a) => a.status === 'failed');
    for (const a of failed) failures.push({ label, where: `${rel} › ${a.fullName}`, lines: firstLines((a.failureMessages || []).join('\n')) });
    // A file that failed outside any test (a hook, a syntax error) has no failed assertion to name.
    if (!failed.length && file.status === 'failed') failures.push({ label, where: rel, lines: firstLines(file.message) });
  }
}

/** How long Jest may stay up once its report is written: a test that left a server open would keep it forever. */
const EXIT_GRACE_MS = 30000;

/** Runs Jest; resolves with its exit status, or null when it had to be stopped after its report was in. */
function runJest(label, args, env, out) {
  return new Promise((resolve) => {
    const child = spawn(bin('jest'), args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    let stopper;
    const watch = setInterval(() => {
      if (stopper || !fs.existsSync(out)) return;
      stopper = setTimeout(() => {
        console.error(`[${label}] Jest wrote its results ${EXIT_GRACE_MS / 1000} s ago and has not exited (a test left a server or a connection open): stopping it.`);
        child.kill('SIGKILL');
      }, EXIT_GRACE_MS);
    }, 1000);
    child.on('exit', (code, signal) => {
      clearInterval(watch);
      clearTimeout(stopper);
      resolve(signal === 'SIGKILL' && stopper ? null : code ?? 1);
    });
  });
}

async function jest(label, args, env = {}) {
  // Kept beside the logs: per-test durations and messages for a look after the run.
  fs.mkdirSync(process.env.TEST_LOG_DIR, { recursive: true });
  const out = path.join(process.env.TEST_LOG_DIR, `jest-${label}.json`);
  fs.rmSync(out, { force: true });
  const exited = await runJest(label, [...args, '--json', `--outputFile=${out}`, ...extraArgs], env, out);
  // Stopped after its report: the report decides (a leak after passing tests is not a failed test).
  const status = exited ?? 0;
  let summary = { passed: 0, failed: 0, skipped: 0 };
  try {
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    summary = { passed: r.numPassedTests, failed: r.numFailedTests + (r.numRuntimeErrorTestSuites ? 1 : 0), skipped: r.numPendingTests + r.numTodoTests };
    collectFailures(label, r);
  } catch {
    summary.failed += 1; // no report: the run itself broke
    failures.push({ label, where: `Jest wrote no report (${out}): the run broke before its end; see its output above`, lines: [] });
  }
  if (status !== 0 && summary.failed === 0) {
    summary.failed = 1;
    failures.push({ label, where: `jest exited with status ${status} without a failing test in its report`, lines: [] });
  }
  console.log(`[${label}] ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
  return summary;
}

(async () => {
  if (!fs.existsSync(bin('jest'))) {
    console.error('Dependencies are not installed. Run `npm install` (or `npm ci`) first.');
    process.exit(1);
  }
  const redisUrl = redisUrlFrom(process.env, 'TEST_REDIS_URL');
  if (!(await reachable(redisUrl.hostname, Number(redisUrl.port || 6379)))) {
    console.error(
      `Redis does not answer at ${redisUrl.host}. The integration tests need a real Redis.\n` +
        `Start one:\n${START_REDIS_HINT}\nor point TEST_REDIS_URL at one.`,
    );
    process.exit(1);
  }
  if (process.env.CROSSPOST_SKIP_BUILD !== '1') {
    const built = run('npm', ['run', '--silent', 'build']);
    if (built !== 0) process.exit(built);
  }

  // One folder for Strapi's full logs of this run (the console only shows warnings and errors).
  const logDir = path.join(os.tmpdir(), 'crosspost-test-logs', new Date().toISOString().replace(/[:.]/g, '-'));
  process.env.TEST_LOG_DIR = logDir;

  const totals = { passed: 0, failed: 0, skipped: 0 };
  const add = (s) => Object.keys(totals).forEach((k) => (totals[k] += s[k]));

  add(await jest('unit', ['--selectProjects', 'unit']));
  add(await jest('integration-sqlite', ['--selectProjects', 'integration', '--runInBand'], { TEST_DB: 'sqlite' }));
  // The plugin loaded from a package folder with its own @strapi/utils (a `file:` install, a monorepo): the
  // route, access and fuzz tests again, so a 400/404 that only works with one shared copy cannot come back.
  add(await jest('integration-folder', ['--selectProjects', 'integration', '--runInBand', '--testPathPattern', 'integration/(routes|access|fuzz)\\.test'], { TEST_DB: 'sqlite', TEST_PLUGIN_LOAD: 'folder' }));

  const pgUp = await reachable('127.0.0.1', 5432);
  if (pgUp && process.env.CROSSPOST_SKIP_POSTGRES !== '1') {
    add(await jest('integration-postgres', ['--selectProjects', 'integration', '--runInBand'], { TEST_DB: 'postgres' }));
    // Fault injection: kill -9 of worker processes (they share a PostgreSQL database), Redis loss, a fault matrix.
    add(await jest('fault', ['--selectProjects', 'fault', '--runInBand']));
  } else if (process.env.CROSSPOST_REQUIRE_POSTGRES === '1') {
    console.error('PostgreSQL does not answer on 127.0.0.1:5432 and CROSSPOST_REQUIRE_POSTGRES=1.');
    totals.failed += 1;
  } else {
    console.log('[integration-postgres] [fault] skipped: no PostgreSQL on 127.0.0.1:5432 (the integration suite ran on SQLite).');
  }

  // Browser tests last: Debian's Chromium against the built playground admin (the first run builds it).
  const { findChromium, NO_CHROMIUM } = require('../tests/e2e/chromium');
  if (findChromium()) {
    add(await jest('e2e', ['--selectProjects', 'e2e', '--runInBand']));
  } else if (process.env.CI === 'true') {
    console.error(`[e2e] ${NO_CHROMIUM} CI=true: the browser tests are required.`);
    totals.failed += 1;
  } else {
    console.log(`[e2e] ${NO_CHROMIUM}`);
  }

  if (failures.length) {
    console.log('\nFailed:');
    for (const f of failures) {
      console.log(`  [${f.label}] ${f.where}`);
      for (const line of f.lines) console.log(`      ${line}`);
    }
  }
  if (totals.failed) console.log(`Strapi's full logs of this run (one file per test file) and Jest's reports: ${logDir}`);
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(totals.failed ? 1 : 0);
})();
