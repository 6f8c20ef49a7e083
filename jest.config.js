/**
 * Four projects: `unit` (pure logic, simulators), `integration` (a real Strapi, real Redis, simulators),
 * `fault` (fault injection: worker kills, Redis loss, platform errors, restarts) and `e2e` (a real browser).
 * The unified/remark ecosystem ships ESM only; Jest's CommonJS runtime needs those packages transformed,
 * so every installed package that declares "type": "module" is handed to babel-jest.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// Strapi's full logs of this run, one file per test file (tests/helpers/strapi.ts); `npm test` names one folder
// for all its jest runs. The console only gets warnings and errors.
process.env.TEST_LOG_DIR ??= path.join(os.tmpdir(), 'crosspost-test-logs', new Date().toISOString().replace(/[:.]/g, '-'));

function esmPackages() {
  const names = new Set();
  const scan = (dir, depth) => {
    if (depth > 4 || !fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir)) {
      if (entry.startsWith('.')) continue;
      const dirs = entry.startsWith('@') ? fs.readdirSync(path.join(dir, entry)).map((d) => `${entry}/${d}`) : [entry];
      for (const name of dirs) {
        const pkgDir = path.join(dir, name);
        try {
          const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
          if (pkg.type === 'module') names.add(name);
        } catch {
          /* not a package */
        }
        // Nested copies (e.g. parse5/node_modules/entities) can be ESM while the hoisted one is not.
        scan(path.join(pkgDir, 'node_modules'), depth + 1);
      }
    }
  };
  scan(path.join(__dirname, 'node_modules'), 0);
  return [...names].map((n) => n.replace(/[.+]/g, '\\$&'));
}

const esm = esmPackages();
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
    '^.+\\.m?js$': [
      'babel-jest',
      {
        plugins: ['@babel/plugin-transform-export-namespace-from', '@babel/plugin-transform-modules-commonjs'],
        babelrc: false,
        configFile: false,
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esm.join('|')})/)`],
  modulePathIgnorePatterns: ['<rootDir>/playground/dist', '<rootDir>/dist', '<rootDir>/.tmp'],
};

module.exports = {
  // Integration tests boot Strapi (a few seconds) and wait on queues.
  testTimeout: 60000,
  // A failing test file is followed by the path of its Strapi log.
  reporters: ['default', '<rootDir>/tests/helpers/log-reporter.js'],
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
    },
    // Fault injection (kill -9, Redis loss, platform errors, restarts): run with --runInBand.
    { ...shared, displayName: 'fault', testMatch: ['<rootDir>/tests/fault/**/*.test.ts'] },
    // Browser tests: Debian's Chromium (playwright-core) against the built playground admin; run with --runInBand.
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/e2e/global-setup.js',
    },
  ],
};
