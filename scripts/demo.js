#!/usr/bin/env node
/**
 * `npm run demo`: installs what is missing, builds the plugin, starts the platform simulators for every
 * platform without real credentials, and runs the playground Strapi app (`strapi develop`) with the
 * plugin pointed at them. Real credentials in playground/.env (CROSSPOST_DEVTO_API_KEY, ...) post to
 * the real platforms instead.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { reachable, redisUrlFrom, START_REDIS_HINT } = require('./lib');

const root = path.resolve(__dirname, '..');
const appDir = path.join(root, 'playground');

function step(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

/** KEY=value lines of playground/.env (no dependency needed for this). */
function readDotEnv(file) {
  if (!fs.existsSync(file)) return {};
  const out = {};
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/i);
    if (m && !line.trim().startsWith('#')) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

(async () => {
  const env = { ...readDotEnv(path.join(appDir, '.env')), ...process.env };
  const redisUrl = redisUrlFrom(env);
  if (!(await reachable(redisUrl.hostname, Number(redisUrl.port || 6379)))) {
    console.error(
      `\nRedis does not answer at ${redisUrl.host}; the plugin queues its jobs in Redis.\n` +
        `Start one, then run \`npm run demo\` again:\n${START_REDIS_HINT}\n` +
        'or set CROSSPOST_REDIS_URL to a Redis you have.\n',
    );
    process.exit(1);
  }

  if (!fs.existsSync(path.join(root, 'node_modules', '.bin', 'strapi'))) {
    console.log('Installing dependencies (first run, a few minutes)...');
    step('npm', ['install', '--no-audit', '--no-fund']);
  }
  console.log('Building the plugin...');
  step('npm', ['run', '--silent', 'build']);

  // Simulators run in this process (TypeScript loaded through tsx).
  require('tsx/cjs');
  const sims = [];
  if (!env.CROSSPOST_DEVTO_API_KEY) {
    const { createDevtoSimulator } = require('../tests/simulators/devto.ts');
    const sim = createDevtoSimulator({ publicBase: 'http://127.0.0.1:4100' });
    await sim.listen(Number(env.DEMO_DEVTO_PORT || 4100));
    Object.assign(env, { CROSSPOST_DEVTO_API_KEY: 'devto-test-key', CROSSPOST_DEVTO_BASE_URL: sim.apiUrl });
    sims.push(['DEV', sim, () => sim.articles.map((a) => `${a.published ? 'published' : 'draft'}  #${a.id} "${a.title}"`)]);
  }
  if (!env.CROSSPOST_HASHNODE_TOKEN) {
    try {
      const hn = require('../tests/simulators/hashnode.ts');
      const sim = hn.createHashnodeSimulator();
      await sim.listen(Number(env.DEMO_HASHNODE_PORT || 4101));
      Object.assign(env, {
        CROSSPOST_HASHNODE_TOKEN: hn.HASHNODE_TEST_TOKEN,
        CROSSPOST_HASHNODE_PUBLICATION_ID: hn.HASHNODE_DEFAULT_PUBLICATION_ID,
        CROSSPOST_HASHNODE_BASE_URL: sim.url,
      });
      sims.push(['Hashnode', sim, () => [...(sim.posts?.values?.() ?? sim.posts ?? [])].map((p) => `post ${p.id} "${p.title}"`)]);
    } catch (err) {
      console.warn(`Hashnode simulator not started: ${err.message}`);
    }
  }
  if (!env.CROSSPOST_MEDIUM_TOKEN) {
    try {
      const md = require('../tests/simulators/medium.ts');
      const sim = md.createMediumSimulator();
      await sim.listen(Number(env.DEMO_MEDIUM_PORT || 4102));
      Object.assign(env, { CROSSPOST_MEDIUM_TOKEN: md.MEDIUM_TEST_TOKEN, CROSSPOST_MEDIUM_BASE_URL: sim.url });
      sims.push(['Medium', sim, () => [...(sim.posts?.values?.() ?? sim.posts ?? [])].map((p) => `${p.publishStatus} ${p.id} "${p.title}"`)]);
    } catch (err) {
      console.warn(`Medium simulator not started: ${err.message}`);
    }
  }

  // Report what the simulators receive, so a newcomer sees the article arrive.
  const seen = new Map();
  setInterval(() => {
    for (const [name, sim] of sims) {
      const n = sim.server.requests.length;
      if (n === (seen.get(name) ?? 0)) continue;
      for (const r of sim.server.requests.slice(seen.get(name) ?? 0)) {
        console.log(`[${name} simulator] ${r.method} ${r.path}${r.operation ? ` (${r.operation})` : ''} → ${r.status ?? '…'}`);
      }
      seen.set(name, n);
      for (const line of sims.find((s) => s[0] === name)[2]()) console.log(`[${name} simulator]   ${line}`);
    }
  }, 1000).unref();

  for (const [name, sim] of sims) console.log(`${name} simulator listening on ${sim.url}`);
  console.log('\nStarting Strapi (the first start builds the admin panel, about a minute)...');
  console.log('Open http://localhost:1337/admin, create the first admin, then publish an Article.\n');

  const strapi = spawn(path.join(root, 'node_modules', '.bin', 'strapi'), ['develop', '--no-watch-admin'], { cwd: appDir, stdio: 'inherit', env });
  const stop = () => strapi.kill('SIGINT');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  strapi.on('exit', async (code) => {
    for (const [, sim] of sims) await sim.close().catch(() => undefined);
    process.exit(code ?? 0);
  });
})();
