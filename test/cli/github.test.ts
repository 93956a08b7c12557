// `check --format github`: one workflow command per diagnostic, escaped as the Actions runner
// requires, then the summary line.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { workflowCommand } from '../../server/src/cli/github';
import type { Diagnostic } from '../../server/src/rules/diagnostic';
import { cli, cliIn, removeTempProjects, tempProject } from './spawnCli';

after(removeTempProjects);

function diagnostic(overrides: Partial<Diagnostic>): Diagnostic {
  return { code: 'RL101', name: 'world-size-not-divisible', severity: 'error', message: 'm', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, related: [], fixes: [], ...overrides };
}

describe('check --format github', () => {
  it('prints an ::error command per error diagnostic, 1-based, then the summary', () => {
    const r = cli('check', '--format', 'github', 'examples/llama3_70b_sft_broken_world.py');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stdout,
      '::error file=examples/llama3_70b_sft_broken_world.py,line=10,col=5,endLine=10,endColumn=16,title=RL101 (world-size-not-divisible)::TP x PP x CP = 8 x 4 x 1 = 32 needs more GPUs than the world size 24 (3 nodes x 8 GPUs); or use 4 nodes\n' +
        "Found 1 error (1 fixable with the editor's quick fixes).\n",
    );
  });

  it('escapes % in messages', () => {
    const r = cli('check', '--format', 'github', 'examples/llama3_8b_pretrain_oom.py');
    assert.match(r.stdout, /^::error file=examples\/llama3_8b_pretrain_oom\.py,line=12,col=1,endLine=12,endColumn=29,title=RL401 \(memory-overrun\)::estimated peak \d+\.\d GiB per GPU \(±\d+%25\) exceeds/);
  });

  it('uses ::warning and ::notice for the lower severities', () => {
    const dir = tempProject({ 'recipe.py': null, 'pyproject.toml': '[tool.recipe-lens]\nseverity = { RL101 = "warning" }\n' });
    const r = cliIn({ cwd: dir }, 'check', '--format', 'github', 'recipe.py');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^::warning file=recipe\.py,line=10,col=5,endLine=10,endColumn=16,title=RL101 \(world-size-not-divisible\)::TP x PP/);
    assert.match(workflowCommand('a.py', diagnostic({ severity: 'information' })), /^::notice file=a\.py,/);
    assert.match(workflowCommand('a.py', diagnostic({ severity: 'hint' })), /^::notice file=a\.py,/);
  });

  it('percent-encodes %, CR and LF in the message, and also : and , in properties', () => {
    const d = diagnostic({ message: '100% of a\r\nb: c, d', range: { start: { line: 2, character: 3 }, end: { line: 4, character: 0 } } });
    assert.equal(workflowCommand('dir,x/a:b%.py', d), '::error file=dir%2Cx/a%3Ab%25.py,line=3,col=4,endLine=5,endColumn=1,title=RL101 (world-size-not-divisible)::100%25 of a%0D%0Ab: c, d');
  });
});
