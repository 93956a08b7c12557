// The CLI as a user runs it: the built bin/recipe-lens.js on the bundled examples, in text and
// JSON, with its exit codes. These run the esbuild bundle, so they also prove that the bundle
// finds both wasm files beside it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, ROOT } from './spawnCli';

describe('recipe-lens check', () => {
  it('prints the diagnostics and plans of the examples as text, exiting with 1 on errors', () => {
    const r = cli('check', 'examples');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /examples\/llama3_70b_sft_broken_world\.py:10:5: RL101 \[error\] TP x PP x CP = 8 x 4 x 1 = 32 needs more GPUs than the world size 24 \(3 nodes x 8 GPUs\)/);
    // TP 1 or 2 would fit the world but not the memory: the fix that remains is the node count.
    assert.match(r.stdout, /32 needs more GPUs than the world size 24 \(3 nodes x 8 GPUs\); or use 4 nodes\n/);
    assert.match(r.stdout, / {4}fix \(preferred\): Set num_nodes and the executor's nodes to 4\n/);
    assert.match(r.stdout, /examples\/llama3_8b_pretrain_oom\.py:12:1: RL401 \[error\] estimated peak \d+\.\d GiB per GPU \(±\d+%\) exceeds the 79\.6 GiB of the NVIDIA H100 80GB HBM3 \(SXM\); the largest term is activations/);
    assert.match(r.stdout, /memory {5}\d+\.\d\/79\.6 GiB per GPU \(h100-80gb, ±\d+%, stage 0\): weights \d+\.\d · gradients \d+\.\d · optimizer \d+\.\d · activations \d+\.\d · overhead \d+\.\d/);
    assert.match(r.stdout, /\n {2}plan 1 \(line 7\): llama3_70b\.finetune_recipe\(\), launched by run\.run\(\) with SlurmExecutor/);
    assert.match(r.stdout, /world {6}3 nodes x 8 GPUs = 24 {3}\(executor: 3 x 8 = 24\)/);
    assert.match(r.stdout, /TP 8 · PP 4 · VP - · CP 1 · EP 1 · ETP =TP · DP \? · SP off/);
    assert.match(r.stdout, /parallelism\.dp: the world size 24 is not divisible by TP x PP x CP = 32/);
    // The Megatron-Bridge example takes its world from the sbatch script beside it.
    assert.match(r.stdout, /examples\/qwen3_8b_bridge_pretrain\.py:14:1: RL304 \[error\] the dataset's sequence length 8192 differs from the model's seq_length 4096/);
    assert.match(r.stdout, /bridge {5}recipes of Megatron-Bridge 0\.6 and later \(era D\), assumed from the newest recipes in the catalog \(no version pinned\)\n {4}world {6}2 nodes x 8 GPUs = 16\n/);
    assert.ok(r.stdout.endsWith("\nFound 6 errors (6 fixable with the editor's quick fixes).\n"), r.stdout.slice(-200));
    assert.equal(cli('check', '--exit-zero', 'examples').code, 0);
  });

  it('runs the same from its bundle, started as a script of its own', () => {
    // The CLI bundle holds the language server too (for `recipe-lens server`): run directly, it
    // must check, not start a server that finds no connection on its command line.
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', 'examples/llama3_70b_sft_broken_world.py'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /llama3_70b_sft_broken_world\.py:10:5: RL101 \[error\]/);
  });

  it('reads Megatron-Bridge recipes for --bridge-version, and refuses a version it cannot read', () => {
    const r = cli('check', '--bridge-version', '0.5.1', 'examples/qwen3_8b_bridge_pretrain.py');
    assert.match(r.stdout, /bridge {5}recipes of Megatron-Bridge 0\.3\.1 to 0\.5 \(era C\), assumed from Megatron-Bridge 0\.5\.1 \(--bridge-version\)/);
    const bad = cli('check', '--bridge-version', 'latest', 'examples');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--bridge-version: 'latest' is not a version such as 0\.5\.1/);
  });

  it('reports diagnostics with their fixes in JSON', () => {
    const r = cli('check', '--format', 'json', 'examples/llama3_70b_sft_broken_world.py');
    assert.equal(r.code, 1, r.stderr);
    const [d] = JSON.parse(r.stdout).files[0].diagnostics;
    assert.equal(d.code, 'RL101');
    assert.equal(d.name, 'world-size-not-divisible');
    assert.equal(d.severity, 'error');
    assert.deepEqual(d.range, { start: { line: 9, character: 4 }, end: { line: 9, character: 15 } });
    assert.equal(d.docs, 'https://github.com/recipe-lens/recipe-lens/blob/main/docs/rules/world-size-not-divisible.md');
    assert.deepEqual(d.fixes, [
      {
        title: "Set num_nodes and the executor's nodes to 4",
        preferred: true,
        edits: [
          { range: { start: { line: 9, character: 14 }, end: { line: 9, character: 15 } }, newText: '4' },
          { range: { start: { line: 16, character: 69 }, end: { line: 16, character: 70 } }, newText: '4' },
        ],
      },
    ]);
  });

  it('prints the JSON contract of docs/cli.md', () => {
    const r = cli('check', '--format', 'json', 'examples/llama3_70b_pretrain_slurm.py');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.version, 1);
    assert.equal(out.files.length, 1);
    const file = out.files[0];
    assert.equal(file.path, 'examples/llama3_70b_pretrain_slurm.py');
    assert.deepEqual(file.diagnostics, []);
    const [plan] = file.plans;
    assert.equal(plan.framework, 'nemo2');
    assert.deepEqual(plan.range, { start: { line: 36, character: 13 }, end: { line: 40, character: 5 } });
    assert.deepEqual(plan.world, { nodes: 16, gpusPerNode: 8, size: 128 });
    assert.deepEqual(plan.executorWorld, { nodes: 16, gpusPerNode: 8, size: 128 });
    assert.deepEqual(
      { tp: plan.parallelism.tp, pp: plan.parallelism.pp, vp: plan.parallelism.vp, cp: plan.parallelism.cp, ep: plan.parallelism.ep, etp: plan.parallelism.etp, dp: plan.parallelism.dp, sequenceParallel: plan.parallelism.sequenceParallel },
      { tp: 4, pp: 4, vp: 5, cp: 2, ep: 1, etp: null, dp: 4, sequenceParallel: true },
    );
    assert.deepEqual(plan.batch, { global: 128, micro: 1, seqLength: 8192 });
    assert.equal(plan.model.name, 'llama3_70b');
    assert.equal(plan.model.parameters, 70553706496);
    assert.equal(plan.precision, 'bf16-mixed');
    assert.deepEqual(plan.optimizer, { distributed: true, gradReduceInFp32: true });
    assert.equal(plan.attentionBackend, 'flash');
    assert.equal(plan.transformerImpl, 'transformer_engine');
    assert.equal(plan.memory.gpu, 'h100-80gb');
    assert.equal(plan.memory.capacityBytes, 81559 * 2 ** 20);
    assert.equal(plan.memory.peakStage, 0);
    assert.equal(plan.memory.stages.length, 4);
    assert.deepEqual(Object.keys(plan.memory.breakdown), ['weights', 'gradients', 'optimizer', 'activations', 'overhead']);
    // The first stage's bf16 weights: 20 layers' projections over TP 4, their norms whole, and the
    // embedding with its vocabulary padded to a multiple of 128 x TP (128,512 rows).
    const firstStage = (20 * (855_654_400 - 16_384) + 128_512 * 8192) / 4 + 20 * 16_384;
    assert.equal(plan.memory.breakdown.weights, 2 * firstStage);
    assert.ok(plan.memory.peakBytes < plan.memory.capacityBytes);
    // Provenance: the node count is the argparse default on line 12 (0-based 11).
    assert.equal(plan.provenance['world.nodes'].source, 'argparse-default');
    assert.equal(plan.provenance['world.nodes'].range.start.line, 11);
    assert.equal(plan.provenance['parallelism.tp'].source, 'recipe-default');
    assert.equal(plan.provenance['batch.global'].source, 'literal');
    assert.deepEqual(plan.unknown, []);
  });

  it('estimates for the GPU of --gpu, and leaves out the codes of --ignore', () => {
    const h200 = JSON.parse(cli('check', '--format', 'json', '--gpu', 'H200', 'examples/llama3_8b_pretrain_oom.py').stdout);
    assert.equal(h200.files[0].plans[0].memory.gpu, 'h200-141gb');
    assert.equal(h200.files[0].plans[0].memory.capacityBytes, 143771 * 2 ** 20);
    const ignored = cli('check', '--ignore', 'rl401', 'examples/llama3_8b_pretrain_oom.py');
    assert.equal(ignored.code, 0, ignored.stderr);
    assert.doesNotMatch(ignored.stdout, /RL401/);
    const unknown = cli('check', '--gpu', 'h300', 'examples');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--gpu: unknown GPU 'h300'; the catalog has h100-80gb, h100-nvl-94gb, h200-141gb/);
    const notACode = cli('check', '--ignore', 'E501', 'examples');
    assert.equal(notACode.code, 2);
    assert.equal(notACode.stderr, "recipe-lens: --ignore: 'E501' is not a rule code or a prefix of one, such as RL402 or RL4 (docs/rules/README.md lists them)\n");
  });

  it('ranks the layouts of a job with `layouts`, as text and as JSON', () => {
    const text = cli('layouts', '--top', '3', 'examples/llama3_8b_pretrain_oom.py');
    assert.equal(text.code, 0, text.stderr);
    const rows = text.stdout.split('\n').filter((l) => /^ +\d+\. TP /.test(l));
    assert.equal(rows.length, 3);
    assert.match(rows[0]!, /^ {3}1\. TP \d+, PP \d+, VP [-\d]+, CP \d+.* \(DP \d+, \d+\.\d GiB\).*, [\d.]+ s\/step {2}\[.*\]$/);
    const json = cli('layouts', '--format', 'json', '--top', '2', '--gpus', '16', 'examples/llama3_8b_pretrain_oom.py');
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout);
    assert.equal(out.version, 1);
    assert.equal(out.plan.origin, 'llama3_8b.pretrain_recipe()');
    assert.equal(out.layouts.length, 2);
    const [best] = out.layouts;
    assert.deepEqual(Object.keys(best), ['world', 'parallelism', 'batch', 'recompute', 'optimizer', 'memory', 'estimatedStepSeconds', 'stepTimeParts', 'changes']);
    assert.equal(best.world.size, 16);
    assert.equal(best.parallelism.tp * best.parallelism.pp * best.parallelism.cp * best.parallelism.dp, 16);
    assert.ok(best.memory.peakBytes <= best.memory.capacityBytes);
    assert.ok(best.changes.some((c: { field: string; value: unknown }) => c.field === 'num_nodes' && c.value === 2));
    assert.ok(out.layouts[0].estimatedStepSeconds <= out.layouts[1].estimatedStepSeconds);
    assert.equal(cli('layouts', '--top', 'many', 'examples/llama3_8b_pretrain_oom.py').code, 2);
    assert.equal(cli('layouts', '--job', '3', 'examples/llama3_8b_pretrain_oom.py').code, 2);
  });

  it('lists unknown values with their reasons', () => {
    const r = cli('check', '--format', 'json', 'test/fixtures/cli/unknown_nodes.py');
    assert.equal(r.code, 0, r.stderr);
    const [plan] = JSON.parse(r.stdout).files[0].plans;
    assert.equal(plan.world.nodes, null);
    assert.ok(plan.unknown.some((u: { field: string; reason: string }) => u.field === 'world.nodes' && /NUM_NODES/.test(u.reason)));
  });

  it('exits with 2 on usage errors and missing paths', () => {
    assert.equal(cli().code, 2);
    assert.equal(cli('lint', 'examples').code, 2);
    assert.equal(cli('check').code, 2);
    assert.equal(cli('check', '--format', 'yaml', 'examples').code, 2);
    const missing = cli('check', 'no/such/file.py');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or folder/);
  });

  it('prints help and version', () => {
    assert.match(cli('--help').stdout, /usage: recipe-lens check/);
    assert.match(cli('--version').stdout, /^\d+\.\d+\.\d+/);
  });
});

describe('docs/cli.md', () => {
  it('documents every field of the JSON plan', () => {
    const doc = require('node:fs').readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8') as string;
    const r = cli('check', '--format', 'json', '--exit-zero', 'examples/mixtral_8x7b_lora_sweep.py');
    const [plan] = JSON.parse(r.stdout).files[0].plans;
    const missing: string[] = [];
    for (const [key, value] of Object.entries(plan)) {
      if (!doc.includes(`\`${key}\``) && !doc.includes(`"${key}"`)) missing.push(key);
      if (value && typeof value === 'object' && !Array.isArray(value) && !['provenance', 'range'].includes(key)) {
        for (const sub of Object.keys(value)) if (!doc.includes(`\`${sub}\``) && !doc.includes(`"${sub}"`)) missing.push(`${key}.${sub}`);
      }
    }
    assert.deepEqual(missing, [], 'fields missing from docs/cli.md');
  });
});
