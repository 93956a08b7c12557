// Jobs that share an object get one diagnostic per problem on its line, not one per job.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../server/src/fixes/edits';
import { analyze, dedent } from '../helpers/analyze';

const SHARED_PROVIDER = dedent(`
  # recipe-lens: world=8
  from megatron.bridge.recipes.llama import llama3_8b_pretrain_config
  from megatron.bridge.training.pretrain import pretrain
  from megatron.bridge.training.gpt_step import forward_step

  cfg = llama3_8b_pretrain_config()
  other = llama3_8b_pretrain_config()
  other.model = cfg.model
  cfg.model.tensor_model_parallel_size = 3
  pretrain(cfg, forward_step)
  pretrain(other, forward_step)
`);

describe('jobs sharing an object', () => {
  it('report a problem of the shared object once, with a proven fix', async () => {
    const a = await analyze(SHARED_PROVIDER);
    assert.equal(a.plans.length, 2);
    assert.deepEqual(
      a.diagnostics.map((d) => `${d.code}@${d.range.start.line}`),
      ['RL101@8', 'RL201@8', 'RL202@8', 'RL203@8'],
    );
    const fix = a.diagnostics[0]!.fixes[0]!;
    const after = await analyze(applyEdits(SHARED_PROVIDER, fix.edits));
    assert.deepEqual(after.diagnostics, []);
    assert.equal(after.plans.length, 2);
  });
});
