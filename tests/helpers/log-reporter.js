/**
 * Jest reporter: the test apps keep Strapi's console output to warnings and errors and write the full log to a
 * file per test file (tests/helpers/strapi.ts → testLogFile, same naming). When a test file fails, say where
 * its log is.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

class LogReporter {
  onTestResult(test, result) {
    const failed = result.numFailingTests > 0 || Boolean(result.testExecError);
    const dir = process.env.TEST_LOG_DIR;
    if (!failed || !dir) return;
    const base = path.join(dir, `${path.relative(ROOT, result.testFilePath).replace(/[\\/]/g, '_')}`);
    const files = [`${base}.log`, ...listWorkerLogs(base)].filter((f) => fs.existsSync(f));
    if (files.length) process.stderr.write(`\nStrapi's full log for ${path.relative(ROOT, result.testFilePath)}:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  }
}

/** Logs of child processes a fault test started (tests/fault/worker-process.ts names them <base>.worker-<pid>.log). */
function listWorkerLogs(base) {
  const dir = path.dirname(base);
  const prefix = `${path.basename(base)}.worker-`;
  try {
    return fs.readdirSync(dir).filter((f) => f.startsWith(prefix)).map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

module.exports = LogReporter;
