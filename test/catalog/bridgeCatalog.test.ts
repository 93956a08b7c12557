// The Megatron-Bridge catalog, through the evaluator, against the fact sheet it was built from:
// every recipe function and legacy alias of every snapshot is called the way its era calls it
// (parameterless, with keyword arguments, or from its per-size module), and the ConfigContainer
// the evaluator builds must carry the layout, batch and sequence lengths the fact sheet records.
// A name defined in several snapshots means the newest one that accepts the call.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { Plan } from '../../server/src/plan/plan';
import { analyze } from '../helpers/analyze';

interface FactRecipe {
  module: string;
  function: string;
  style?: string;
  mode?: string | null;
  alias_of?: string;
  tp?: number | null;
  pp?: number | null;
  cp?: number | null;
  ep?: number | null;
  etp?: number | null;
  vp?: number | null;
  sp?: boolean | null;
  gbs?: number | null;
  mbs?: number | null;
  seq_length?: number | null;
  model_seq_length?: number | null;
  unresolved?: string[] | null;
}

const facts = JSON.parse(gunzipSync(readFileSync(join(__dirname, '..', 'reference', 'megatron-bridge-recipes.json.gz'))).toString('utf8')) as {
  snapshots: Record<string, { recipes: FactRecipe[]; aliases?: FactRecipe[] }>;
};
/** Newest first, with the era's call style. */
const SNAPSHOTS = ['HEAD', 'v0.5.1', 'v0.3.0', 'v0.1.0rc4'];

type Shape = 'bare' | 'kwargs' | 'per-size';
const shapeOf = (r: FactRecipe): Shape => ((r.style ?? 'parameterless').startsWith('parameterless') ? 'bare' : r.style!.startsWith('kwargs') ? 'kwargs' : 'per-size');

interface Case {
  snapshot: string;
  recipe: FactRecipe;
  shape: Shape;
}

const all: Case[] = SNAPSHOTS.flatMap((snapshot) => {
  const s = facts.snapshots[snapshot]!;
  return [...s.recipes, ...(s.aliases ?? [])].map((recipe) => ({ snapshot, recipe, shape: shapeOf(recipe) }));
});

/** The record a call means: per-size recipes by module; others by name, newest accepting the call. */
function meant(c: Case): Case | undefined {
  if (c.shape === 'per-size') return all.find((o) => o.shape === 'per-size' && o.recipe.module === c.recipe.module && o.recipe.function === c.recipe.function);
  const named = all.filter((o) => o.shape !== 'per-size' && o.recipe.function === c.recipe.function);
  return c.shape === 'kwargs' ? named.find((o) => o.shape === 'kwargs') : named[0];
}

function source(c: Case): string {
  const r = c.recipe;
  // Era B's **user_kwargs and era A's parameters both take micro_batch_size; the recipe's own value keeps the defaults.
  const args = c.shape === 'bare' ? '' : typeof r.mbs === 'number' ? `micro_batch_size=${r.mbs}` : '';
  return `# recipe-lens: world=8\nfrom ${r.module} import ${r.function} as recipe\ncfg = recipe(${args})\n`;
}

function compare(plan: Plan, c: Case): string[] {
  const r = c.recipe;
  const p = plan.parallelism;
  const ep = r.ep ?? 1;
  // Bridge 0.6+ sets ETP to 1 when EP > 1 and ETP is unset.
  const etp = r.etp ?? (c.snapshot === 'HEAD' && ep > 1 ? 1 : null);
  const unresolved = new Set(r.unresolved ?? []);
  const checks: [string, unknown, unknown][] = [
    ['tp', p.tp.value, r.tp ?? 1],
    ['pp', p.pp.value, r.pp ?? 1],
    ['cp', p.cp.value, r.cp ?? 1],
    ['ep', p.ep.value, ep],
    ['etp', p.etp.value, etp],
    ['vp', p.vp.value, r.vp ?? null],
    ['sp', p.sequenceParallel.value, r.sp ?? false],
    ['gbs', plan.batch.global.value, r.gbs ?? null],
    ['mbs', plan.batch.micro.value, r.mbs ?? null],
  ];
  if (!unresolved.has('dataset_seq_length')) checks.push(['dataset seq', plan.batch.seqLength.value, r.seq_length ?? null]);
  if (r.model_seq_length ?? r.seq_length) checks.push(['model seq', plan.model.seqLength.value, r.model_seq_length ?? r.seq_length]);
  return checks.filter(([, got, want]) => got !== want).map(([name, got, want]) => `${name}: got ${String(got)}, want ${String(want)}`);
}

describe('the Megatron-Bridge recipe catalog', () => {
  const checked = all.filter((c) => meant(c) === c);
  it('covers every recipe name of every snapshot (older definitions of a name are shadowed by newer ones)', () => {
    assert.ok(all.length > 900, `${all.length} records`);
    const names = new Set(all.map((c) => `${c.shape === 'per-size' ? c.recipe.module : ''}.${c.recipe.function}.${c.shape === 'kwargs'}`));
    const reached = new Set(checked.map((c) => `${c.shape === 'per-size' ? c.recipe.module : ''}.${c.recipe.function}.${c.shape === 'kwargs'}`));
    assert.deepEqual([...names].filter((n) => !reached.has(n)), []);
  });

  it('builds the layout, batch and sequence lengths each recipe returns', async () => {
    const problems: string[] = [];
    for (const c of checked) {
      const { plans, problems: evaluationProblems } = await analyze(source(c));
      const where = `${c.snapshot} ${c.recipe.module}.${c.recipe.function}(${c.shape})`;
      if (plans.length !== 1) {
        problems.push(`${where}: ${plans.length} plans ${evaluationProblems.map((x) => x.message).join('; ')}`);
        continue;
      }
      const diffs = compare(plans[0]!, c);
      if (diffs.length) problems.push(`${where}: ${diffs.join(', ')}`);
      assert.equal(plans[0]!.framework, 'megatron-bridge');
      assert.equal(plans[0]!.world.size.value, 8);
    }
    assert.deepEqual(problems, []);
  });
});
