// RL501's quick fix for a Megatron-Bridge recipe given arguments it no longer takes: the call
// without them, each value assigned to the returned config, proven by re-analysis.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../server/src/fixes/edits';
import { analyze, dedent } from '../helpers/analyze';

describe('the quick fix of a refused Bridge recipe call', () => {
  it('moves each argument onto the returned config, and the result is clean', async () => {
    const text = dedent(`
      # recipe-lens: world=8
      from megatron.bridge.recipes.llama import llama3_8b_sft_config
      from megatron.bridge.training.finetune import finetune

      def build():
          cfg = llama3_8b_sft_config(tensor_model_parallel_size=2, seq_length=2 * 2048)
          return cfg

      finetune(build(), None)
    `);
    const { diagnostics } = await analyze(text);
    const [d] = diagnostics;
    assert.equal(d?.code, 'RL501');
    assert.equal(d!.fixes.length, 1);
    const fixed = applyEdits(text, d!.fixes[0]!.edits);
    assert.ok(
      fixed.includes('    cfg = llama3_8b_sft_config()\n    cfg.model.tensor_model_parallel_size = 2\n    cfg.model.seq_length = 2 * 2048\n    cfg.dataset.seq_length = 2 * 2048\n    return cfg'),
      fixed,
    );
    const after = await analyze(fixed);
    assert.deepEqual(after.diagnostics.map((x) => x.code), []);
    assert.equal(after.plans[0]?.parallelism.tp.value, 2);
  });

  it('offers none when an argument has no place on the config', async () => {
    const text = dedent(`
      from megatron.bridge.recipes.llama import llama3_8b_sft_config
      cfg = llama3_8b_sft_config(tensor_model_parallel_size=2, dir="/checkpoints")
    `);
    const { diagnostics } = await analyze(text);
    assert.equal(diagnostics[0]?.code, 'RL501');
    assert.deepEqual(diagnostics[0]!.fixes, []);
  });
});
