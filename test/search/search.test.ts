// The layout search: NVIDIA's published H100 layouts for the catalog's large models are among
// the valid layouts found on their GPU counts and are estimated to fit; every layout it returns
// passes every rule and re-analyses clean once applied; the ranking puts headroom first, then
// step time.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { editsForChanges } from '../../server/src/analysis/fixes';
import { applyEdits } from '../../server/src/fixes/edits';
import { checkLayout } from '../../server/src/rules/check';
import { layoutOf } from '../../server/src/rules/layout';
import { DEFAULT_RULE_SETTINGS } from '../../server/src/rules/rule';
import { searchLayouts, type RankedLayout } from '../../server/src/search/search';
import { analyze } from '../helpers/analyze';

interface PublishedRow {
  task: string;
  model: string;
  size: string;
  dtype: string;
  num_gpus: number;
  seq_len: number;
  tp_size: number;
  pp_size: number;
  cp_size: number;
  ep_size: number;
  vp_size: number;
  mbs: number;
  gbs: number;
  use_mcore_fsdp: number;
  recompute_modules: string | null;
}

const RECIPES: Record<string, string> = {
  'llama3 8b': 'llama3_8b',
  'llama3 70b': 'llama3_70b',
  'llama31 405b': 'llama31_405b',
  'mixtral 8x7b': 'mixtral_8x7b',
  'mixtral 8x22b': 'mixtral_8x22b',
  'nemotron4 15b': 'nemotron4_15b',
  'nemotron4 340b': 'nemotron4_340b',
  'nemotron3 22b': 'nemotron3_22b',
  'nemotron3 8b': 'nemotron3_8b',
  'deepseek v3': 'deepseek_v3',
};

/** A recipe as NVIDIA's performance scripts configure it for one published row (their layout aside). */
function recipeOf(r: PublishedRow, recipe: string): string {
  const lines = [
    'from nemo.collections import llm',
    'from nemo.collections.llm.recipes.precision.mixed_precision import bf16_with_fp8_mixed',
    `r = llm.${recipe}.pretrain_recipe(num_nodes=${Math.max(1, r.num_gpus / 8)}, num_gpus_per_node=8, performance_mode=True)`,
    `r.data.global_batch_size = ${r.gbs}`,
    `r.data.micro_batch_size = ${r.mbs}`,
    `r.data.seq_length = ${r.seq_len}`,
    `r.model.config.seq_length = ${r.seq_len}`,
  ];
  if (r.recompute_modules) lines.push('r.model.config.recompute_granularity = "selective"', `r.model.config.recompute_modules = ${JSON.stringify(r.recompute_modules.split('/'))}`);
  if (r.dtype === 'fp8') lines.push('r.trainer.plugins = bf16_with_fp8_mixed()', 'r.trainer.plugins.grad_reduce_in_fp32 = False');
  return lines.join('\n') + '\n';
}

describe('the layout search', { timeout: 120_000 }, () => {
  it("finds NVIDIA's published H100 layouts of the large models among the valid layouts that fit", async () => {
    const catalog = JSON.parse(gunzipSync(readFileSync(join(__dirname, '..', 'reference', 'nemo-recipes.json.gz'))).toString('utf8'));
    const rows = (catalog.recommendedPerformanceConfigs.rows.h100 as PublishedRow[]).filter((r) => r.task === 'pre_train' && RECIPES[`${r.model} ${r.size}`] && !r.use_mcore_fsdp);
    assert.ok(rows.length >= 15, `${rows.length} published rows`);
    for (const r of rows) {
      const analysis = await analyze(recipeOf(r, RECIPES[`${r.model} ${r.size}`]!), { verifyFixes: false });
      const result = searchLayouts(analysis.plans[0]!, analysis.memory[0]!, DEFAULT_RULE_SETTINGS);
      const what = `${r.model} ${r.size} ${r.dtype} on ${r.num_gpus} GPUs: TP ${r.tp_size} PP ${r.pp_size} VP ${r.vp_size} CP ${r.cp_size} EP ${r.ep_size}`;
      assert.ok('layouts' in result, `${what}: ${'unknown' in result ? result.unknown : ''}`);
      const vp = r.vp_size === 1 ? null : r.vp_size;
      const found = result.layouts.find((l) => l.choice.tp === r.tp_size && l.choice.pp === r.pp_size && l.choice.cp === r.cp_size && l.choice.ep === r.ep_size && l.choice.vp === vp);
      assert.ok(found, `${what} is not among the ${result.layouts.length} layouts found`);
      assert.ok(found.estimate.peakBytes <= found.estimate.capacityBytes, `${what} is estimated at ${found.estimate.peakBytes / 2 ** 30} GiB`);
    }
  });

  const JOBS: [string, string][] = [
    ['Llama 3 8B, micro batch 4, one node', 'r = llm.llama3_8b.pretrain_recipe(num_nodes=1, num_gpus_per_node=8)\nr.data.micro_batch_size = 4\n'],
    ['Llama 3 70B on 8 nodes', 'r = llm.llama3_70b.pretrain_recipe(num_nodes=8, num_gpus_per_node=8)\n'],
    ['Mixtral 8x7B on 8 nodes', 'r = llm.mixtral_8x7b.pretrain_recipe(num_nodes=8, num_gpus_per_node=8)\n'],
  ];
  for (const [name, body] of JOBS) {
    it(`returns only layouts that pass every rule and re-analyse clean: ${name}`, async () => {
      const text = `from nemo.collections import llm\n${body}`;
      const analysis = await analyze(text, { verifyFixes: false });
      const result = searchLayouts(analysis.plans[0]!, analysis.memory[0]!, DEFAULT_RULE_SETTINGS, { top: 8 });
      assert.ok('layouts' in result && result.layouts.length > 0, 'layouts found');
      const before = new Set(checkLayout(layoutOf(analysis.plans[0]!), DEFAULT_RULE_SETTINGS).map((v) => v.rule.code));
      for (const l of result.layouts) {
        const edits = editsForChanges(analysis.plans[0]!, l.changes, text);
        assert.ok(edits, `edits for ${JSON.stringify(l.changes)}`);
        const after = await analyze(applyEdits(text, edits), { verifyFixes: false });
        const plan = after.plans[0]!;
        // Applied, the text has exactly the chosen degrees, and no rule objects.
        assert.deepEqual([plan.parallelism.tp.value, plan.parallelism.pp.value, plan.parallelism.vp.value, plan.parallelism.cp.value, plan.batch.micro.value], [l.choice.tp, l.choice.pp, l.choice.vp, l.choice.cp, l.choice.mbs]);
        assert.deepEqual(after.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], JSON.stringify(l.choice));
        assert.deepEqual(checkLayout(layoutOf(plan), DEFAULT_RULE_SETTINGS).filter((v) => !before.has(v.rule.code)).map((v) => v.rule.code), []);
        assert.ok(after.memory[0]!.estimate!.peakBytes <= after.memory[0]!.estimate!.capacityBytes);
      }
    });
  }

  it('ranks layouts with headroom first, then by step time, then by fewest changes', async () => {
    const analysis = await analyze('from nemo.collections import llm\nr = llm.llama3_70b.pretrain_recipe(num_nodes=8, num_gpus_per_node=8)\n', { verifyFixes: false });
    const result = searchLayouts(analysis.plans[0]!, analysis.memory[0]!, DEFAULT_RULE_SETTINGS);
    assert.ok('layouts' in result);
    const key = (l: RankedLayout) => [l.roomy ? 0 : 1, l.step.seconds, l.changes.length];
    for (let i = 1; i < result.layouts.length; i++) {
      const [a, b] = [key(result.layouts[i - 1]!), key(result.layouts[i]!)];
      assert.ok(a[0]! < b[0]! || (a[0] === b[0] && (a[1]! < b[1]! || (a[1] === b[1] && a[2]! <= b[2]!))), `rank ${i} out of order`);
    }
    // The bounded search (top K) returns the same best layouts as the full one.
    const top = searchLayouts(analysis.plans[0]!, analysis.memory[0]!, DEFAULT_RULE_SETTINGS, { top: 5 });
    assert.ok('layouts' in top);
    assert.deepEqual(top.layouts.map((l) => l.choice), result.layouts.slice(0, 5).map((l) => l.choice));
  });

  it('searches every world size up to a GPU budget, and a given world size', async () => {
    const analysis = await analyze('from nemo.collections import llm\nr = llm.llama3_8b.pretrain_recipe(num_nodes=1, num_gpus_per_node=8)\n', { verifyFixes: false });
    const budget = searchLayouts(analysis.plans[0]!, analysis.memory[0]!, DEFAULT_RULE_SETTINGS, { maxGpus: 64 });
    assert.ok('layouts' in budget);
    assert.deepEqual([...new Set(budget.layouts.map((l) => l.choice.nodes))].sort((a, b) => a - b), [1, 2, 4, 8]);
    const given = searchLayouts(analysis.plans[0]!, analysis.memory[0]!, DEFAULT_RULE_SETTINGS, { gpus: 32 });
    assert.ok('layouts' in given && given.layouts.every((l) => l.choice.nodes === 4 && l.changes.some((c) => c.key === 'nodes' && c.value === 4)));
  });
});
