// Bad input never crashes the analysis or hangs it: syntax errors, huge files, deep nesting,
// random bytes, runaway loops and recursion give a plan, or nothing, with a reason.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, dedent } from '../helpers/analyze';

// A guard against hangs only (the analysis takes milliseconds); timings are measured in bench/.
const HANG_GUARD = { timeout: 120_000 };

describe('hostile input', HANG_GUARD, () => {
  it('analyses what parses around syntax errors', async () => {
    const { plans } = await analyze(dedent(`
      from nemo.collections import llm
      recipe = llm.llama3_8b.pretrain_recipe(num_nodes=2)
      recipe.trainer.strategy.tensor_model_parallel_size = = 4
      def broken(:
          pass
      recipe.data.global_batch_size = 256
    `));
    assert.equal(plans.length, 1);
    assert.equal(plans[0]!.world.nodes.value, 2);
    assert.equal(plans[0]!.batch.global.value, 256);
  });

  it('skips a 10 MB file with a reason', async () => {
    const text = 'from nemo.collections import llm\n' + 'x = 1 + 2\n'.repeat(1_000_000);
    assert.ok(text.length >= 10_000_000);
    const a = await analyze(text);
    assert.equal(a.plans.length, 0);
    assert.match(a.skipped ?? '', /above the \d+ that Recipe Lens analyses/);
  });

  it('survives 10,000 and 100,000 nested parentheses', async () => {
    for (const depth of [10_000, 100_000]) {
      const text = `from nemo.collections import llm\nr = llm.llama3_8b.pretrain_recipe()\nr.trainer.strategy.tensor_model_parallel_size = ${'('.repeat(depth)}8${')'.repeat(depth)}\n`;
      const { plans } = await analyze(text);
      assert.equal(plans.length, 1);
      assert.match(plans[0]!.parallelism.tp.unknown ?? '', /nested more than \d+ levels/);
    }
  });

  it('survives random bytes', async () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let round = 0; round < 20; round++) {
      const bytes = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256)));
      const a = await analyze(bytes.toString(round % 2 ? 'latin1' : 'utf8'));
      assert.ok(Array.isArray(a.plans));
    }
  });

  it('stops runaway loops and recursion, and huge numbers stay unknown', async () => {
    const { plans, skipped } = await analyze(dedent(`
      from nemo.collections import llm
      def forever(n):
          return forever(n + 1)
      x = forever(0)
      i = 0
      while True:
          i += 1
      for j in range(10**9):
          i += j
      recipe = llm.llama3_8b.pretrain_recipe()
      recipe.trainer.strategy.tensor_model_parallel_size = 2**4096
      recipe.trainer.strategy.pipeline_model_parallel_size = 1e308
      recipe.trainer.strategy.context_parallel_size = i
    `));
    assert.equal(skipped, undefined);
    const p = plans[0]!.parallelism;
    assert.match(p.tp.unknown ?? '', /too large/);
    assert.match(p.pp.unknown ?? '', /is a float, not an integer/);
    assert.match(p.cp.unknown ?? '', /loop/);
  });

  it('abandons an analysis that exceeds its step budget, with a reason', async () => {
    const text = dedent(`
      from nemo.collections import llm
      total = 0
      for a in range(200):
          for b in range(200):
              total += a * b
      recipe = llm.llama3_8b.pretrain_recipe()
    `);
    const a = await analyze(text, { maxSteps: 10_000 });
    assert.equal(a.plans.length, 0);
    assert.match(a.skipped ?? '', /stopped after 10000 steps/);
  });

  it('does not follow a file that imports itself', async () => {
    const { plans } = await analyze(dedent(`
      from nemo.collections import llm
      import recipe_script
      from recipe_script import recipe as other
      recipe = llm.llama3_8b.pretrain_recipe()
    `));
    assert.equal(plans.length, 1);
  });
});
