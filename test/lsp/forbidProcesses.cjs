// Preloaded into the server by test/lsp/noProcess.test.ts: every way Node has of starting a
// process or a thread, or of compiling code at run time, records the attempt in the file named by
// RECIPE_LENS_FORBIDDEN_LOG and throws, so that a server that tried would fail its session too.
// The one compilation allowed is the server's entry running its own bundle through the code cache
// (server/src/boot/codeCache.ts): a vm.Script of exactly the text of dist/server-core.js, as
// require() would wrap it, named as that file.
const fs = require('node:fs');
const log = process.env.RECIPE_LENS_FORBIDDEN_LOG;

function forbid(moduleName, names) {
  const mod = require(moduleName);
  for (const name of names) {
    if (typeof mod[name] !== 'function') continue;
    mod[name] = function forbidden() {
      fs.appendFileSync(log, `${moduleName}.${name}\n`);
      throw new Error(`${moduleName}.${name} is forbidden in the Recipe Lens server`);
    };
  }
}

forbid('node:child_process', ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']);
forbid('node:worker_threads', ['Worker']);
forbid('node:vm', ['runInContext', 'runInNewContext', 'runInThisContext', 'compileFunction']);

const vm = require('node:vm');
const { wrap } = require('node:module');
const { join } = require('node:path');
const bundle = join(__dirname, '..', '..', 'dist', 'server-core.js');
const Script = vm.Script;
vm.Script = class GuardedScript extends Script {
  constructor(code, options) {
    if (options?.filename !== bundle || code !== wrap(fs.readFileSync(bundle, 'latin1'))) {
      fs.appendFileSync(log, `node:vm.Script(${options?.filename ?? 'no file name'})\n`);
      throw new Error('node:vm.Script is forbidden in the Recipe Lens server, except for its own bundle');
    }
    super(code, options);
  }
};
