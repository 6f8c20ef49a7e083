/**
 * Strapi's logger (winston). By default everything from `http` up goes to the console, as in any Strapi app.
 * LOG_LEVEL sets the console level; LOG_FILE also writes the full log (LOG_FILE_LEVEL, default `http`) to that
 * file. The tests use both: warnings and errors on the console, the rest in a file per test file and run.
 */
const { winston } = require('@strapi/logger');

module.exports = ({ env }) => {
  const consoleLevel = env('LOG_LEVEL', 'http');
  const file = env('LOG_FILE');
  const transports = [new winston.transports.Console({ level: consoleLevel })];
  if (file) transports.push(new winston.transports.File({ filename: file, level: env('LOG_FILE_LEVEL', 'http'), format: winston.format.uncolorize() }));
  return { level: 'silly', transports };
};
