// Bad input never crashes the analysis or hangs it: syntax errors, huge files, deep nesting,
// random bytes, runaway loops and recursion, zero, negative and huge numbers give a plan, or
// nothing, with a reason.
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

  it('launches a run.cli.main() job once when a missing colon nests the call in its executor factory', async () => {
    // Without the colon, tree-sitter reads the rest of the file as slurm()'s body, so calling the
    // executor factory calls run.cli.main() again.
    const { plans } = await analyze(dedent(`
      import nemo_run as run
      from nemo.collections import llm
      def factory() -> run.Partial:
          return llm.llama3_8b.pretrain_recipe(num_nodes=2, num_gpus_per_node=8)
      def slurm() -> run.SlurmExecutor
          return run.SlurmExecutor(account="llm", nodes=2, ntasks_per_node=8, gpus_per_node=8)
      if __name__ == "__main__":
          run.cli.main(llm.pretrain, default_factory=factory, default_executor=slurm)
    `));
    assert.equal(plans.length, 1);
    assert.equal(plans[0]!.world.nodes.value, 2);
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

  it('reads zero and negative degrees as written; no rule and no estimate takes them', async () => {
    // The rules check positive integers only (a value they cannot reason about stays silent), and
    // the memory model says which value keeps it from estimating.
    const { plans, memory, diagnostics } = await analyze(dedent(`
      from nemo.collections import llm
      zero = llm.llama3_8b.pretrain_recipe(name="zero", num_nodes=1, num_gpus_per_node=8)
      zero.trainer.strategy.tensor_model_parallel_size = 0
      negative = llm.llama3_8b.pretrain_recipe(name="negative", num_nodes=1, num_gpus_per_node=8)
      negative.trainer.strategy.pipeline_model_parallel_size = -2
      experts = llm.mixtral_8x7b.pretrain_recipe(name="experts")
      experts.trainer.strategy.expert_model_parallel_size = -1
      nodes = llm.llama3_8b.pretrain_recipe(name="nodes", num_nodes=0)
    `));
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(plans.map((p) => [p.parallelism.tp.value, p.parallelism.pp.value, p.parallelism.ep.value, p.world.nodes.value]), [[0, 1, 1, 1], [1, -2, 1, 1], [1, 4, -1, 8], [1, 1, 1, 0]]);
    assert.deepEqual(memory.map((m) => m.estimate), [null, null, null, null]);
    assert.deepEqual(memory[0]!.unknown[0], { field: 'parallelism.tp', reason: 'it is 0, not a positive integer' });
    assert.deepEqual(memory[1]!.unknown[0], { field: 'parallelism.pp', reason: 'it is -2, not a positive integer' });
    assert.deepEqual(memory[2]!.unknown[0], { field: 'parallelism.ep', reason: 'it is -1, not a positive integer' });
    assert.deepEqual(memory[3]!.unknown[0], { field: 'parallelism.dp', reason: 'it is 0, not a positive integer' });
  });

  it('keeps 1e308 and 2**4096 unknown as any degree, node count or batch, and stays silent', async () => {
    const { plans, memory, diagnostics } = await analyze(dedent(`
      from nemo.collections import llm
      recipe = llm.mixtral_8x7b.pretrain_recipe(num_nodes=2**4096, num_gpus_per_node=1e308)
      recipe.trainer.strategy.virtual_pipeline_model_parallel_size = 2**4096
      recipe.trainer.strategy.context_parallel_size = 1e308
      recipe.trainer.strategy.expert_model_parallel_size = 2**4096
      recipe.data.global_batch_size = 1e308
      recipe.data.micro_batch_size = 2**4096
    `));
    assert.deepEqual(diagnostics, []);
    const p = plans[0]!;
    for (const f of [p.world.nodes, p.parallelism.vp, p.parallelism.ep, p.batch.micro]) assert.match(f.unknown ?? '', /too large to analyse exactly/);
    for (const f of [p.world.gpusPerNode, p.parallelism.cp, p.batch.global]) assert.match(f.unknown ?? '', /1e\+308 is a float, not an integer/);
    assert.equal(memory[0]!.estimate, null);
  });

  it('keeps an integer literal past 2**53 unknown, quoting its first digits', async () => {
    const { plans, diagnostics } = await analyze(dedent(`
      from nemo.collections import llm
      recipe = llm.llama3_8b.pretrain_recipe(num_nodes=1, num_gpus_per_node=8)
      recipe.trainer.strategy.tensor_model_parallel_size = 123456789012345678901234567890
    `));
    assert.deepEqual(diagnostics, []);
    assert.equal(plans[0]!.parallelism.tp.unknown, 'the integer 12345678901234567890... is too large to analyse exactly');
  });

  it('follows a recursive helper that ends, and not one that does not', async () => {
    const { plans, diagnostics } = await analyze(dedent(`
      from nemo.collections import llm
      def power_of_two(n):
          return 1 if n == 0 else 2 * power_of_two(n - 1)
      def even(n):
          return True if n == 0 else odd(n - 1)
      def odd(n):
          return False if n == 0 else even(n - 1)
      recipe = llm.llama3_8b.pretrain_recipe(name="ends", num_nodes=power_of_two(2))
      recipe.trainer.strategy.tensor_model_parallel_size = power_of_two(3) if even(6) else 1
      deep = llm.llama3_8b.pretrain_recipe(name="deep")
      deep.trainer.strategy.tensor_model_parallel_size = power_of_two(100)
    `));
    assert.deepEqual(diagnostics, []);
    assert.equal(plans[0]!.world.nodes.value, 4);
    assert.equal(plans[0]!.parallelism.tp.value, 8);
    assert.match(plans[1]!.parallelism.tp.unknown ?? '', /calls nested deeper than 24 \(recursion\?\) are not followed/);
  });

  it('does not count up to huge exact integers', async () => {
    // Each of these once listed or built an array of that size (a fatal V8 error, or minutes).
    const { plans, memory, diagnostics } = await analyze(dedent(`
      from nemo.collections import llm
      batch = llm.llama3_8b.pretrain_recipe(name="batch")
      batch.data.global_batch_size = 10**9 + 1
      micro = llm.llama3_8b.pretrain_recipe(name="micro")
      micro.data.micro_batch_size = 10**8
      layers = llm.llama3_8b.pretrain_recipe(name="layers")
      layers.model.config.num_layers = 10**9
      pipeline = llm.llama3_8b.pretrain_recipe(name="pipeline", num_nodes=10**15)
      pipeline.trainer.strategy.pipeline_model_parallel_size = 10**15
      pipeline.trainer.strategy.context_parallel_size = 1
    `));
    assert.equal(plans.length, 4);
    const messages = diagnostics.map((d) => `${d.code} ${d.message.replace(/;.*/, '')}`);
    assert.ok(messages.includes('RL301 global batch 1000000001 is not divisible by micro batch 1 x DP 4 = 4'), messages.join('\n'));
    assert.ok(messages.includes('RL301 global batch 512 is not divisible by micro batch 100000000 x DP 4 = 400000000'), messages.join('\n'));
    assert.deepEqual(memory[2]!.unknown[0], { field: 'model', reason: 'num_layers is 1000000000, more than the 10000 Recipe Lens counts' });
    assert.deepEqual(memory[3]!.unknown[0], { field: 'parallelism.pp', reason: 'it is 1000000000000000, more than the 10000 the memory model handles' });
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

  it("reads names JavaScript objects have (constructor, toString, __proto__) as the Python names they are", async () => {
    // Looked up in the catalogs' and the modelled methods' plain objects, these names found
    // Object.prototype's members: calling them, or iterating them as argument paths, threw.
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
      const { plans, problems } = await analyze(dedent(`
        import argparse
        import os
        import nemo_run as run
        from nemo.collections import llm
        from megatron.bridge.models import AutoBridge
        from megatron.bridge.recipes.llama import llama3_8b_pretrain_config
        parser = argparse.ArgumentParser()
        x = parser.${name}(1)
        args = parser.parse_args()
        recipe = llm.llama3_8b.pretrain_recipe(num_nodes=2, ${name}=1)
        other = llm.llama3_8b.pretrain_recipe(num_nodes=2)
        other.trainer.strategy.tensor_model_parallel_size = other.trainer.${name}
        y = llm.${name}
        z = os.${name}
        s = "a".${name}(1)
        provider = AutoBridge.from_hf_pretrained("${name}")
        cfg = llama3_8b_pretrain_config(${name}=1)
        cfg.model.${name} = 2
        exp = run.Experiment.${name}(1)
      `));
      assert.ok(problems.some((p) => p.message.includes(`unexpected keyword argument '${name}'`)), `${name}: the recipe refuses it`);
      // The second recipe's TP is unknown (the trainer has no such field), so nothing fires on it.
      const other = plans.find((p) => p.world.nodes.value === 2 && p.parallelism.tp.unknown !== undefined);
      assert.ok(other, `${name}: the plan of the second recipe`);
    }
  });
});
