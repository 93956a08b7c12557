// `npm run test:e2e`: Recipe Lens in real editors, headless and offline. Installs what it needs
// (test/e2e/install.sh), packages the .vsix, then runs
//   - Neovim 0.7 over stdio (test/e2e/nvim/checks.lua), and
//   - VS Code (code-server + Chromium) with the .vsix installed (test/e2e/code-server/run.mjs).
// `--screenshots DIR` saves VS Code's view of the squiggle, hints and hover (docs/images/ in the README).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const run = (cmd, args, options = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
const results = [];

const install = spawnSync('bash', [join(root, 'test', 'e2e', 'install.sh')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (install.status !== 0) {
  console.error('e2e: installing the editors failed');
  process.exit(1);
}
const codeServer = install.stdout.trim().split('\n').pop();

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, `recipe-lens-${version}.vsix`);
if (run('npm', ['run', 'package']).status !== 0) {
  console.error('e2e: packaging failed');
  process.exit(1);
}

// Neovim: the file is copied, because the suite applies the fix and saves nothing back.
{
  const work = mkdtempSync(join(tmpdir(), 'recipe-lens-nvim-'));
  const file = join(work, 'llama3_8b_pretrain_oom.py');
  copyFileSync(join(root, 'examples', 'llama3_8b_pretrain_oom.py'), file);
  const out = join(work, 'report.json');
  const env = { ...process.env, RL_CMD: JSON.stringify([process.execPath, join(root, 'bin', 'recipe-lens.js'), 'server', '--stdio']), RL_FILE: file, RL_OUT: out };
  for (const x of ['CONFIG', 'DATA', 'STATE', 'CACHE']) env[`XDG_${x}_HOME`] = join(work, x.toLowerCase());
  run('nvim', ['--headless', '--clean', '-n', '-i', 'NONE', '-c', `luafile ${join(root, 'test', 'e2e', 'nvim', 'checks.lua')}`], { env, stdio: ['ignore', 'inherit', 'inherit'], timeout: 120_000 });
  let report = { ok: false, error: 'no report' };
  try {
    report = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    // nvim did not get as far as the report
  }
  for (const s of report.steps ?? []) console.log(`neovim e2e: ${s.name}`);
  if (!report.ok) console.error(`neovim e2e: ${report.error}`);
  console.log(`neovim e2e: ${report.ok ? 'PASS' : 'FAIL'}`);
  results.push(['Neovim 0.7 (stdio)', report.ok]);
  rmSync(work, { recursive: true, force: true });
}

{
  const shots = arg('--screenshots');
  const r = run(process.execPath, [join(root, 'test', 'e2e', 'code-server', 'run.mjs'), '--code-server', codeServer, '--vsix', vsix, ...(shots ? ['--screenshots', shots] : [])], { timeout: 300_000 });
  results.push(['VS Code (code-server, .vsix)', r.status === 0]);
}

const failed = results.filter(([, ok]) => !ok);
for (const [name, ok] of results) console.log(`e2e: ${ok ? 'pass' : 'FAIL'}  ${name}`);
console.log(`e2e: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
