// Preloaded into the server by test/lsp/noProcess.test.ts: every way Node has of starting a
// process or a thread, or of compiling code at run time, records the attempt in the file named by
// RECIPE_LENS_FORBIDDEN_LOG and throws, so that a server that tried would fail its session too.
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
forbid('node:vm', ['runInContext', 'runInNewContext', 'runInThisContext', 'compileFunction', 'Script']);
