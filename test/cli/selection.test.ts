// --select and --ignore: codes or prefixes, case-insensitive; ignore wins over select; a code or
// prefix that names no rule is a usage error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codesNamed, selectRules } from '../../server/src/config/ruleSelection';
import { cli } from './spawnCli';

// Six errors: RL201, RL101, RL401, two RL102 and RL304.
const FILES = ['examples/custom_gpt_eager.py', 'examples/llama3_70b_sft_broken_world.py', 'examples/llama3_8b_pretrain_oom.py', 'examples/mixtral_8x7b_lora_sweep.py', 'examples/qwen3_8b_bridge_pretrain.py'];

/** The codes reported, in order, read from the GitHub format (one line each). */
function reported(...args: string[]): string[] {
  const r = cli('check', '--format', 'github', ...args, ...FILES);
  assert.notEqual(r.code, 2, r.stderr);
  return [...r.stdout.matchAll(/,title=(RL\d{3}) /g)].map((m) => m[1]!);
}

describe('rule selection', () => {
  it('expands prefixes to the codes they start', () => {
    assert.deepEqual(codesNamed('RL40'), ['RL401', 'RL402', 'RL403', 'RL404']);
    assert.deepEqual(codesNamed('RL101'), ['RL101']);
    assert.deepEqual(codesNamed('RL7'), []);
    assert.deepEqual(codesNamed('E501'), []);
    const s = selectRules(['RL1', 'RL401'], ['RL102']);
    assert.deepEqual([s.reports('RL101'), s.reports('RL102'), s.reports('RL401'), s.reports('RL201')], [true, false, true, false]);
    assert.deepEqual(s.ignored, ['RL102']);
  });

  it('reports every rule by default', () => {
    assert.deepEqual(reported(), ['RL201', 'RL101', 'RL401', 'RL102', 'RL102', 'RL304']);
  });

  it('--select reports only the rules named by code or prefix, in any case', () => {
    assert.deepEqual(reported('--select', 'RL1'), ['RL101', 'RL102', 'RL102']);
    assert.deepEqual(reported('--select', 'rl101, RL4'), ['RL101', 'RL401']);
  });

  it('--ignore takes prefixes too, and wins over --select', () => {
    assert.deepEqual(reported('--ignore', 'RL1,RL2'), ['RL401', 'RL304']);
    assert.deepEqual(reported('--select', 'RL1', '--ignore', 'RL102'), ['RL101']);
    assert.deepEqual(reported('--select', 'RL101', '--ignore', 'RL1'), []);
  });

  it('refuses a code or prefix that names no rule, naming it', () => {
    const r = cli('check', '--select', 'RL1,RL7', 'examples');
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "recipe-lens: --select: 'RL7' is not a rule code or a prefix of one, such as RL402 or RL4 (docs/rules/README.md lists them)\n");
    assert.equal(cli('check', '--ignore', 'RL999', 'examples').code, 2);
  });
});
