// What the fuzz tests found (test/fuzz/pipeline.ts), each shrunk to a small input and kept so that
// it stays fixed: a fix that garbled the line it edited, memory estimates of NaN or below zero,
// an exception out of the memory model, and messages computed with inexact numbers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits } from '../../server/src/fixes/edits';
import { analyze, dedent } from '../helpers/analyze';

describe('fuzz findings', () => {
  it('reads an instance method called on its class as unknown, not with the class as the instance', async () => {
    // `parser = argparse.ArgumentParser` without its call: add_argument was run with the class
    // as its parser and threw (the long fuzz run of seed 20261131). Class methods still work.
    const { plans, problems } = await analyze(dedent(`
      import argparse
      import nemo_run as run
      from nemo.collections import llm
      from megatron.bridge.models import AutoBridge
      parser = argparse.ArgumentParser
      parser.add_argument("--nodes", type=int, default=2)
      parser.set_defaults(nodes=4)
      args = parser.parse_args()
      executor = run.SlurmExecutor.clone()
      with run.Experiment as exp:
          run.Experiment.add(llm.llama3_8b.pretrain_recipe(name="a", num_nodes=args.nodes), executor=executor)
      provider = AutoBridge.from_hf_pretrained("meta-llama/Llama-3.1-8B").to_megatron_provider()
      unbound = AutoBridge.to_megatron_provider()
    `));
    // Nothing is launched (Experiment.add on the class is unknown), and nothing threw.
    assert.equal(plans.length, 0);
    assert.deepEqual(problems, []);
  });

  it('edits a literal that two fields read from once', async () => {
    // The trainer's and the executor's node counts both come from the argparse default: the fix
    // had the same edit twice, which clients refuse and which garbled "True" into "4elp=...".
    const example = readFileSync(join(__dirname, '..', '..', 'examples', 'llama3_70b_pretrain_slurm.py'), 'utf8');
    const text = example.replace('"--nodes", type=int, default=16,', '"--nodes", type=int, default=True,');
    assert.notEqual(text, example);
    const { diagnostics } = await analyze(text);
    const fix = diagnostics.find((d) => d.code === 'RL101')?.fixes.find((f) => f.title === "Set num_nodes and the executor's nodes to 4");
    assert.ok(fix, JSON.stringify(diagnostics.map((d) => [d.code, d.fixes.map((f) => f.title)])));
    assert.equal(fix.edits.length, 1);
    assert.match(applyEdits(text, fix.edits), /"--nodes", type=int, default=4, help="number of nodes"/);
  });

  it('gives no memory estimate for zero or negative sizes, rather than NaN or a negative one', async () => {
    const { memory, diagnostics } = await analyze(dedent(`
      from nemo.collections import llm
      etp = llm.mixtral_8x7b.finetune_recipe(name="etp", peft_scheme="lora")
      etp.trainer.strategy.expert_tensor_parallel_size = 0
      heads = llm.llama3_8b.pretrain_recipe(name="heads")
      heads.model.config.num_attention_heads = 0
      hidden = llm.llama3_8b.pretrain_recipe(name="hidden")
      hidden.model.config.hidden_size = -8
      layers = llm.mixtral_8x7b.pretrain_recipe(name="layers")
      layers.model.config.num_layers = -8
    `));
    assert.deepEqual(memory.map((m) => m.estimate), [null, null, null, null]);
    assert.deepEqual(memory.map((m) => m.unknown[0]), [
      { field: 'parallelism.etp', reason: 'it is 0, not a positive integer' },
      { field: 'model', reason: 'num_attention_heads is 0, not a positive integer' },
      { field: 'model', reason: 'hidden_size is -8, not a positive integer' },
      { field: 'model', reason: 'num_layers is -8, not a positive integer' },
    ]);
    assert.deepEqual(diagnostics.filter((d) => /NaN|-\d/.test(d.message)), []);
  });

  it('leaves unknown, and unreported, what only a number past 2**53 could say', async () => {
    // 2**40 nodes x (10**9 + 1) GPUs: the world, DP and the products the rules form were floats,
    // printed as 1.0995116288755116e+21 in messages.
    const { plans, diagnostics } = await analyze(dedent(`
      import nemo_run as run
      from nemo.collections import llm
      recipe = llm.llama3_8b.pretrain_recipe(num_nodes=2**40, num_gpus_per_node=10**9 + 1)
      recipe.trainer.strategy.pipeline_model_parallel_size = 2**40
      run.run(recipe, executor=run.LocalExecutor(ntasks_per_node=10**9 + 1))
    `));
    assert.deepEqual(diagnostics.map((d) => d.message).filter((m) => /e\+\d/.test(m)), []);
    assert.equal(plans[0]!.world.size.unknown, 'nodes x GPUs per node is 1.100e+21, too large to analyse exactly');
    assert.equal(plans[0]!.parallelism.dp.unknown, 'nodes x GPUs per node is 1.100e+21, too large to analyse exactly');
  });

  it('writes an absurd memory estimate in digits, not in exponent form', async () => {
    // A micro batch and a sequence of 2**40 (a mutation of the full fuzz run): the job does overrun, and the
    // message must still read as numbers (toFixed turns to exponent form at 1e21).
    const { diagnostics } = await analyze(dedent(`
      from nemo.collections import llm
      recipe = llm.llama3_8b.pretrain_recipe(num_nodes=1, num_gpus_per_node=8)
      recipe.data.micro_batch_size = 2**40
      recipe.data.global_batch_size = 2**43
      recipe.data.seq_length = 2**40
    `));
    const overrun = diagnostics.find((d) => d.code === 'RL401');
    assert.ok(overrun, JSON.stringify(diagnostics.map((d) => d.message)));
    assert.doesNotMatch(overrun.message, /e\+\d|NaN|Infinity/);
    assert.match(overrun.message, /^estimated peak \d{22,} GiB per GPU/);
  });

  it('leaves a degree past 2**53 unknown, whatever made it an integer', async () => {
    // int(1e308) is an exact integer in Python but not here: the full fuzz run had RL206 say
    // "80 layers are not divisible by PP = 1e+308".
    const { plans, diagnostics } = await analyze(dedent(`
      from nemo.collections import llm
      recipe = llm.llama3_70b.pretrain_recipe(num_nodes=4)
      recipe.trainer.strategy.pipeline_model_parallel_size = int(1e308)
    `));
    assert.match(plans[0]!.parallelism.pp.unknown ?? '', /is too large to analyse exactly$/);
    assert.deepEqual(diagnostics.filter((d) => /e\+\d/.test(d.message)).map((d) => d.message), []);
  });
});
