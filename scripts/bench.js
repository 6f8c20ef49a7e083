#!/usr/bin/env node
/**
 * `npm run bench [-- --smoke] [--only=publish-overhead,throughput,rate-limit,list-latency,memory,stats-latency] [--verbose]`:
 * builds the plugin when dist/ is missing (the playground loads it from there, like a user's app),
 * checks that Redis answers, then runs bench/run.ts under tsx. Prints one table and writes
 * bench/results.json. PostgreSQL (127.0.0.1:5432) is used by the list benchmark when it answers.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { reachable, redisUrlFrom, START_REDIS_HINT } = require('./lib');

const root = path.resolve(__dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

(async () => {
  if (!fs.existsSync(tsx)) {
    console.error('Dependencies are not installed (node_modules/.bin/tsx is missing). Run `npm install` (or `npm ci`) first.');
    process.exit(1);
  }
  if (!fs.existsSync(path.join(root, 'dist', 'server', 'index.js')) || process.env.CROSSPOST_BENCH_BUILD === '1') {
    console.log('Building the plugin (npm run build)…');
    const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  const redisUrl = redisUrlFrom(process.env, 'TEST_REDIS_URL');
  if (!(await reachable(redisUrl.hostname, Number(redisUrl.port || 6379)))) {
    console.error(`Redis does not answer at ${redisUrl.host}. The benchmarks need a real Redis. Start one:\n${START_REDIS_HINT}\nor point TEST_REDIS_URL at one.`);
    process.exit(1);
  }
  const child = spawn(tsx, [path.join('bench', 'run.ts'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  const forward = (sig) => () => child.kill(sig);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
})();
