#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is TypeScript compiled to dist/ by `npm install` (prepare).
require('../dist/bin/cli.js')
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(err && err.message ? err.message : String(err));
      process.exitCode = 2;
    },
  );
