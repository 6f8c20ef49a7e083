/**
 * A crosspost worker as its own OS process, for the kill -9 test: boots the playground Strapi (no HTTP
 * server, no admin panel) against the database and Redis prefix given in the environment, with
 * CROSSPOST_WORKER=true, and runs jobs until it is killed. SIGTERM/SIGINT shut it down cleanly through
 * strapi.destroy() (Strapi's own signal handler: running jobs finish, Redis and the database are closed).
 * node_modules/.bin/tsx runs the script in a child node process: the pid printed on READY is the one
 * that runs Strapi (the one the kill -9 test kills).
 *
 *   node_modules/.bin/tsx tests/fault/worker-process.ts
 *
 * Env: everything a playground Strapi reads (see tests/helpers/fault.ts appEnv), plus
 * FAULT_PLUGIN_CONFIG = JSON object of plugin config overrides ({"platforms.medium.limits.posts": {...}}),
 * FAULT_PARENT_PID = the test process (the worker stops when it is gone).
 * Prints "FAULT-WORKER-READY <pid>" on stdout once jobs are being taken.
 */
import { bootStrapi } from '../helpers/fault';

async function main(): Promise<void> {
  process.env.CROSSPOST_WORKER = 'true';
  // Its own full log next to the test file's (tests/helpers/log-reporter.js lists it when the test fails).
  if (process.env.LOG_FILE) process.env.LOG_FILE = process.env.LOG_FILE.replace(/\.log$/, `.worker-${process.pid}.log`);
  const overrides = process.env.FAULT_PLUGIN_CONFIG ? (JSON.parse(process.env.FAULT_PLUGIN_CONFIG) as Record<string, unknown>) : {};
  const strapi = await bootStrapi(overrides);

  // SIGTERM/SIGINT: Strapi's own handler (destroyOnSignal) runs strapi.destroy() and exits.
  // If the test process disappears (crash, ^C), stop too: an orphan must not keep taking jobs.
  const parent = Number(process.env.FAULT_PARENT_PID);
  if (parent) {
    const watchdog = setInterval(() => {
      try {
        process.kill(parent, 0);
      } catch {
        clearInterval(watchdog);
        const force = setTimeout(() => process.exit(2), 15000);
        force.unref();
        void strapi.destroy().finally(() => process.exit(0));
      }
    }, 1000);
    watchdog.unref();
  }

  process.stdout.write(`FAULT-WORKER-READY ${process.pid}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`worker ${process.pid}: failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
