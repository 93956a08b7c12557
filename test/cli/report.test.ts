// The text report's parts for CI: --statistics, the summary line, colour (only for a terminal,
// NO_COLOR and FORCE_COLOR respected) and the exit codes, unreadable files included.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeText } from '../../server/src/analysis/analyze';
import { runCheck } from '../../server/src/cli/check';
import { colourWanted } from '../../server/src/cli/colour';
import { DEFAULT_SETTINGS } from '../../server/src/config/settings';
import { statisticsTable } from '../../server/src/cli/statistics';
import { summary } from '../../server/src/cli/text';
import type { Diagnostic } from '../../server/src/rules/diagnostic';
import type { Severity } from '../../server/src/rules/rule';
import { cli, cliIn, removeTempProjects, ROOT, tempProject } from './spawnCli';

after(removeTempProjects);

function diagnostic(severity: Severity, fixable: boolean): Diagnostic {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  return { code: 'RL101', name: 'world-size-not-divisible', severity, message: 'm', range, related: [], fixes: fixable ? [{ title: 't', edits: [], preferred: true }] : [] };
}

/** The CLI run as the user nobody in `dir`, or undefined when nobody cannot run node here. */
function nobodyCli(dir: string): ((...args: string[]) => { code: number | null; stdout: string; stderr: string }) | undefined {
  const pkg = join(dir, '.pkg');
  for (const f of ['bin/recipe-lens.js', 'dist/cli.js', 'dist/nemo-recipes.txt', 'dist/bridge-recipes.txt', 'dist/web-tree-sitter.wasm', 'dist/tree-sitter-python.wasm']) {
    mkdirSync(dirname(join(pkg, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(pkg, f));
  }
  chmodSync(dir, 0o755);
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [join(pkg, 'bin', 'recipe-lens.js'), ...args], { cwd: dir, encoding: 'utf8', uid: 65534, gid: 65534 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return run('--version').code === 0 ? run : undefined;
}

describe('check --statistics', () => {
  it('counts the diagnostics of each rule, the most frequent first, [*] when one has a fix', () => {
    const r = cli('check', '--statistics', 'examples');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stdout,
      [
        '   2  RL102  expert-grid-not-divisible            [*]',
        '   1  RL101  world-size-not-divisible             [*]',
        '   1  RL201  attention-heads-not-divisible-by-tp  [*]',
        '   1  RL304  sequence-length-mismatch             [*]',
        '   1  RL401  memory-overrun                       [*]',
        "Found 6 errors (6 fixable with the editor's quick fixes).",
        '',
      ].join('\n'),
    );
  });

  it('leaves the mark off rules without a fix, and refuses formats other than text', () => {
    assert.deepEqual(statisticsTable([{ code: 'RL402', name: 'memory-near-capacity', count: 12, fixable: false }, { code: 'RL101', name: 'world-size-not-divisible', count: 3, fixable: true }]), [
      '  12  RL402  memory-near-capacity',
      '   3  RL101  world-size-not-divisible  [*]',
    ]);
    const r = cli('check', '--statistics', '--format', 'json', 'examples');
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'recipe-lens: --statistics prints a table; it cannot be combined with --format json\n');
  });
});

describe('the summary line', () => {
  it('counts by severity and says how many have a fix', () => {
    assert.equal(summary([], 0), 'All checks passed!');
    assert.equal(summary([diagnostic('error', true), diagnostic('error', false)], 0), "Found 2 errors (1 fixable with the editor's quick fixes).");
    assert.equal(summary([diagnostic('error', false), diagnostic('warning', false), diagnostic('warning', false)], 0), 'Found 1 error and 2 warnings.');
    assert.equal(summary([diagnostic('warning', false), diagnostic('information', false), diagnostic('hint', true)], 0), "Found 1 warning and 2 notes (1 fixable with the editor's quick fixes).");
    assert.equal(summary([diagnostic('error', false), diagnostic('warning', false), diagnostic('hint', false)], 0), 'Found 1 error, 1 warning and 1 note.');
    assert.equal(summary([], 1), 'No problems found in the files analysed; 1 file could not be read.');
    assert.equal(summary([diagnostic('error', false)], 2), 'Found 1 error. 2 files could not be read.');
    assert.equal(summary([], 1, 2), 'No problems found in the files analysed; 1 file could not be read. 2 files could not be analysed because of an internal error.');
  });

  it('ends a clean run', () => {
    const r = cli('check', 'examples/llama3_70b_pretrain_slurm.py');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.endsWith('\nAll checks passed!\n'), r.stdout);
  });
});

describe('colour', () => {
  const line = 'examples/llama3_70b_sft_broken_world.py:10:5: RL101 [error] TP x PP x CP';

  it('colours the path, the code and the severity when FORCE_COLOR is set', () => {
    const r = cliIn({ env: { FORCE_COLOR: '1' } }, 'check', 'examples/llama3_70b_sft_broken_world.py');
    assert.ok(r.stdout.startsWith('\x1b[36mexamples/llama3_70b_sft_broken_world.py\x1b[0m\n\x1b[36mexamples/llama3_70b_sft_broken_world.py\x1b[0m:10:5: \x1b[1mRL101\x1b[0m [\x1b[1;31merror\x1b[0m] TP x PP x CP'), JSON.stringify(r.stdout.slice(0, 200)));
  });

  it('prints no escapes to a pipe, with NO_COLOR, or with FORCE_COLOR=0', () => {
    const envs: Record<string, string>[] = [{}, { NO_COLOR: '1' }, { FORCE_COLOR: '0' }];
    for (const env of envs) {
      const r = cliIn({ env }, 'check', 'examples/llama3_70b_sft_broken_world.py');
      assert.ok(!r.stdout.includes('\x1b'), JSON.stringify(env));
      assert.ok(r.stdout.includes(line));
    }
  });

  it('is on for a terminal unless NO_COLOR is non-empty; FORCE_COLOR wins', () => {
    assert.equal(colourWanted({}, true), true);
    assert.equal(colourWanted({ NO_COLOR: '' }, true), true);
    assert.equal(colourWanted({ NO_COLOR: '1' }, true), false);
    assert.equal(colourWanted({}, false), false);
    assert.equal(colourWanted({ FORCE_COLOR: '1' }, false), true);
    assert.equal(colourWanted({ FORCE_COLOR: '', NO_COLOR: '1' }, false), true);
    assert.equal(colourWanted({ FORCE_COLOR: 'false' }, true), false);
  });
});

describe('exit codes', () => {
  it('0 without errors, 1 with errors (0 with --exit-zero), 2 for usage errors and missing paths', () => {
    assert.equal(cli('check', 'examples/llama3_70b_pretrain_slurm.py').code, 0);
    assert.equal(cli('check', 'examples/llama3_70b_sft_broken_world.py').code, 1);
    assert.equal(cli('check', '--exit-zero', 'examples/llama3_70b_sft_broken_world.py').code, 0);
    assert.equal(cli('check', '--no-such-flag', 'examples').code, 2);
    const missing = cli('check', 'examples/llama3_70b_sft_broken_world.py', 'no/such.py');
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'recipe-lens: no/such.py: no such file or folder\n');
    assert.equal(missing.stdout, '');
  });

  it('1 when a file cannot be read, even with --exit-zero, after checking the others', () => {
    const dir = tempProject({ 'recipe.py': null });
    symlinkSync(join(dir, 'gone.py'), join(dir, 'link.py'));
    const r = cliIn({ cwd: dir }, 'check', '--exit-zero', 'link.py', 'recipe.py');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'recipe-lens: link.py: cannot be read (broken symbolic link)\n');
    assert.match(r.stdout, /recipe\.py:10:5: RL101 \[error\]/);
    assert.ok(r.stdout.endsWith("\nFound 1 error (1 fixable with the editor's quick fixes). 1 file could not be read.\n"), r.stdout);
    // Inside a folder, broken links are skipped: editors leave them as lock files.
    assert.equal(cliIn({ cwd: dir }, 'check', '--exit-zero', '.').code, 0);
  });

  it('2 when the analysis of a file throws (a bug of Recipe Lens), after checking the others', async () => {
    const dir = tempProject({ 'a.py': null, 'b.py': null });
    const analyze: typeof analyzeText = (parser, text, options) => {
      if (text.includes('# crash')) throw new TypeError("Cannot read properties of undefined (reading 'kind')");
      return analyzeText(parser, text, options);
    };
    writeFileSync(join(dir, 'a.py'), '# crash\n');
    for (const format of ['text', 'json', 'sarif'] as const) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCheck([join(dir, 'a.py'), join(dir, 'b.py')], { settings: DEFAULT_SETTINGS, bridgeVersion: null }, { format, statistics: false, exitZero: true, colour: false, version: 'test', cwd: dir, analyze }, { out: (s) => out.push(s), err: (s) => err.push(s) });
      assert.equal(code, 2, format);
      assert.equal(err.length, 1);
      assert.match(err[0]!, /a\.py: internal error, a bug in Recipe Lens; please report it[^]*TypeError: Cannot read properties of undefined/);
      const stdout = out.join('\n');
      if (format === 'text') {
        assert.match(stdout, /a\.py\n  not analysed: an internal error stopped the analysis \(Cannot read properties of undefined \(reading 'kind'\)\)/);
        // The other file is still checked.
        assert.match(stdout, /b\.py:10:5: RL101 \[error\]/);
        assert.ok(stdout.endsWith("Found 1 error (1 fixable with the editor's quick fixes). 1 file could not be analysed because of an internal error."), stdout);
      } else if (format === 'json') {
        const files = (JSON.parse(stdout) as { files: { path: string; skipped?: string; diagnostics: unknown[] }[] }).files;
        assert.match(files[0]!.skipped ?? '', /^an internal error stopped the analysis/);
        assert.equal(files[1]!.diagnostics.length, 1);
      } else {
        const invocation = (JSON.parse(stdout) as { runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string } }[] }[] }[] }).runs[0]!.invocations[0]!;
        assert.equal(invocation.executionSuccessful, false);
        assert.equal(invocation.toolExecutionNotifications[0]!.level, 'error');
        assert.match(invocation.toolExecutionNotifications[0]!.message.text, /a\.py: not analysed: an internal error stopped the analysis/);
      }
    }
  });

  it('1 when a folder below cannot be read (EACCES)', (t) => {
    const dir = tempProject({ 'recipe.py': null });
    mkdirSync(join(dir, 'locked'));
    writeFileSync(join(dir, 'locked', 'x.py'), '');
    chmodSync(join(dir, 'locked'), 0o000);
    // Root reads every folder: as root, the check runs as the unprivileged user nobody, from a
    // copy of the launcher and bundles that nobody can read wherever the repository lies.
    const root = process.getuid?.() === 0;
    const asNobody = root ? nobodyCli(dir) : undefined;
    if (root && !asNobody) return t.skip('running as root, and the user nobody cannot run node here');
    try {
      const r = asNobody ? asNobody('check', '--exit-zero', '.') : cliIn({ cwd: dir }, 'check', '--exit-zero', '.');
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr, 'recipe-lens: locked: cannot be read (EACCES)\n');
    } finally {
      chmodSync(join(dir, 'locked'), 0o755);
    }
  });
});
