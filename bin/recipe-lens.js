#!/usr/bin/env node
// The recipe-lens command. The code lives in the bundles that `npm run build` writes to dist/:
// `recipe-lens server` runs the language server's own entry (dist/server.js, which loads its
// bundle through the code cache), every other command the CLI's bundle.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const server = process.argv[2] === 'server';
const name = server ? 'server.js' : 'cli.js';
const bundle = join(__dirname, '..', 'dist', name);
if (!existsSync(bundle)) {
  process.stderr.write(`recipe-lens: dist/${name} is missing; run \`npm run build\` first.\n`);
  process.exit(2);
}
if (server) {
  // The entry reads the transport from the command line, as vscode-languageserver does.
  require(bundle);
} else {
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
}
