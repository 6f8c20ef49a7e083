'use strict';
// Entry Strapi loads when the package has no `./strapi-server` export resolution (older tooling).
module.exports = require('./dist/server');
