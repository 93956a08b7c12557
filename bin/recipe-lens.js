#!/usr/bin/env node
// The recipe-lens command. The code lives in the bundle that `npm run build` writes to dist/.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'cli.js');
if (!existsSync(bundle)) {
  process.stderr.write('recipe-lens: dist/cli.js is missing; run `npm run build` first.\n');
  process.exit(2);
}
const { main } = require(bundle);
main(process.argv.slice(2), { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') }).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`recipe-lens: internal error: ${e && e.stack ? e.stack : String(e)}\n`);
    process.exitCode = 2;
  },
);
