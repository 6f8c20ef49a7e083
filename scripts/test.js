#!/usr/bin/env node
/**
 * `npm test`: builds the plugin (the test app loads it from dist/ like a user's app would), then runs
 * the unit tests and the integration suite against a real Strapi on SQLite, and again on PostgreSQL
 * when one answers on 127.0.0.1:5432, followed by the fault-injection suite, which needs PostgreSQL for
 * its multi-process kill -9 test (CI sets CROSSPOST_REQUIRE_POSTGRES=1 to make both mandatory).
 * Ends with one plain line "N passed, N failed, N skipped".
 */
const { spawnSync } = require('node:child_process');
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

function jest(label, args, env = {}) {
  const out = path.join(os.tmpdir(), `crosspost-jest-${process.pid}-${label}.json`);
  const status = run(bin('jest'), [...args, '--json', `--outputFile=${out}`, ...extraArgs], env);
  let summary = { passed: 0, failed: 0, skipped: 0 };
  try {
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    summary = { passed: r.numPassedTests, failed: r.numFailedTests + (r.numRuntimeErrorTestSuites ? 1 : 0), skipped: r.numPendingTests + r.numTodoTests };
    fs.rmSync(out, { force: true });
  } catch {
    summary.failed += 1; // no report: the run itself broke
  }
  if (status !== 0 && summary.failed === 0) summary.failed = 1;
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

  const totals = { passed: 0, failed: 0, skipped: 0 };
  const add = (s) => Object.keys(totals).forEach((k) => (totals[k] += s[k]));

  add(jest('unit', ['--selectProjects', 'unit']));
  add(jest('integration-sqlite', ['--selectProjects', 'integration', '--runInBand'], { TEST_DB: 'sqlite' }));

  const pgUp = await reachable('127.0.0.1', 5432);
  if (pgUp && process.env.CROSSPOST_SKIP_POSTGRES !== '1') {
    add(jest('integration-postgres', ['--selectProjects', 'integration', '--runInBand'], { TEST_DB: 'postgres' }));
    // Fault injection: kill -9 of worker processes (they share a PostgreSQL database), Redis loss, a fault matrix.
    add(jest('fault', ['--selectProjects', 'fault', '--runInBand']));
  } else if (process.env.CROSSPOST_REQUIRE_POSTGRES === '1') {
    console.error('PostgreSQL does not answer on 127.0.0.1:5432 and CROSSPOST_REQUIRE_POSTGRES=1.');
    totals.failed += 1;
  } else {
    console.log('[integration-postgres] [fault] skipped: no PostgreSQL on 127.0.0.1:5432 (the integration suite ran on SQLite).');
  }

  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(totals.failed ? 1 : 0);
})();
