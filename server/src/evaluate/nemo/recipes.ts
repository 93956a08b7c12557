// NeMo 2.0 recipe factories: `llm.<module>.pretrain_recipe(...)`, `finetune_recipe(...)`,
// `trainer(...)` and `model()`. Each call builds, from the catalog, the object tree the real
// factory returns, with every value marked "recipe default", then applies the arguments given.
// An argument whose value is unknown and that selects a branch of the recipe (peft_scheme,
// performance_mode, packed_sequence) builds every branch and merges them: fields on which the
// branches agree stay known.
import { citation, isTree, nemoCatalog, type ConfigTree, type RecipeEntry } from '../../catalog/nemoRecipes';
import { fromLiteral } from '../tree';
import { Merger } from '../merge';
import { describe, truthiness, unknown, type CallArgs, type CallContext, type ObjectValue, type Provenance, type Value } from '../values';
import { own } from '../../catalog/own';

export const FACTORIES = ['pretrain_recipe', 'finetune_recipe', 'trainer', 'model'] as const;
export type Factory = (typeof FACTORIES)[number];

/** Where a factory argument lands in the recipe. Arguments not listed change nothing a plan reads. */
const ARGUMENT_PATHS: Record<string, string[]> = {
  num_nodes: ['trainer.num_nodes'],
  num_gpus_per_node: ['trainer.devices'],
  tensor_parallelism: ['trainer.strategy.tensor_model_parallel_size'],
  tensor_parallel_size: ['trainer.strategy.tensor_model_parallel_size'],
  pipeline_parallelism: ['trainer.strategy.pipeline_model_parallel_size'],
  pipeline_parallelism_type: ['trainer.strategy.pipeline_dtype'],
  virtual_pipeline_parallelism: ['trainer.strategy.virtual_pipeline_model_parallel_size'],
  context_parallelism: ['trainer.strategy.context_parallel_size'],
  context_parallel_size: ['trainer.strategy.context_parallel_size'],
  sequence_parallelism: ['trainer.strategy.sequence_parallel'],
  expert_parallelism: ['trainer.strategy.expert_model_parallel_size'],
  expert_tensor_parallelism: ['trainer.strategy.expert_tensor_parallel_size'],
  account_for_embedding_in_pipeline_split: ['trainer.strategy.account_for_embedding_in_pipeline_split'],
  account_for_loss_in_pipeline_split: ['trainer.strategy.account_for_loss_in_pipeline_split'],
  max_steps: ['trainer.max_steps'],
  accumulate_grad_batches: ['trainer.accumulate_grad_batches'],
  global_batch_size: ['data.global_batch_size'],
  micro_batch_size: ['data.micro_batch_size'],
};

/** Arguments handled by choosing a scenario of the catalog rather than by setting a field. */
const SCENARIO_ARGUMENTS = new Set(['peft_scheme', 'performance_mode', 'packed_sequence', 'seq_length', 'precision']);

export function recipeEntry(module: string): RecipeEntry | undefined {
  return own(nemoCatalog().recipes, module);
}

export function callFactory(ctx: CallContext, module: string, factory: Factory, call: CallArgs): Value {
  const entry = recipeEntry(module)!;
  const signature = entry.functions[factory];
  const name = `${module}.${factory}()`;
  if (!signature) return unknown(`${name} does not exist in NeMo`, call.range);
  const args = bindArguments(ctx, signature, call, name);
  if (!args) return unknown(`${name} is called with arguments it does not accept`, call.range);
  const prov: Provenance = { source: 'recipe-default', range: call.range, detail: `set by ${name} (${citation(entry.source)})${scenarioNote(args)}` };

  const build = (choice: Choice): Value => {
    const tree = scenarioTree(entry, factory, choice);
    if (!tree) return unknown(`${name} is not available for ${describeChoice(choice)}`, call.range);
    if ('error' in tree) {
      ctx.problem(call.range, `${name} raises ${String(tree.error)} in NeMo`);
      return unknown(`${name} raises ${String(tree.error)} in NeMo`, call.range);
    }
    const root = fromLiteral(ctx.state, tree, prov) as ObjectValue;
    root.origin = { recipe: module, factory };
    // `pretrain_recipe(fn=llm.train)` wraps another entry point.
    const fn = args.get('fn');
    if (fn?.kind === 'native' && /^llm\.(pretrain|finetune|train)$/.test(fn.name)) root.cls = fn.name.slice(4);
    for (const [path, value] of Object.entries(diffsFor(entry, factory, choice))) setPath(ctx, root, path, fromLiteral(ctx.state, value, prov));
    applyArguments(ctx, root, args, choice, factory);
    return root;
  };

  const choices = scenarioChoices(entry, factory, args);
  if (choices.length === 1) return build(choices[0]!.choice);
  const merger = new Merger(ctx.state, [...new Set(choices.map((c) => c.why).filter(Boolean))].join('; '));
  const merged = merger.merge(choices.map((c) => build(c.choice))) as Value;
  if (merged.kind === 'object') merged.origin = { recipe: module, factory };
  return merged;
}

/** Says which scenario arguments came from a command line or environment default. */
function scenarioNote(args: Map<string, Value>): string {
  const notes: string[] = [];
  for (const name of SCENARIO_ARGUMENTS) {
    const v = args.get(name);
    if (v && 'prov' in v && (v.prov.source === 'argparse-default' || v.prov.source === 'environment-default')) notes.push(`${name} from ${v.prov.detail}`);
  }
  return notes.length ? `, with ${notes.join('; ')}` : '';
}

/** Binds positional and keyword arguments to the factory's parameters. */
function bindArguments(ctx: CallContext, signature: Record<string, unknown>, call: CallArgs, name: string): Map<string, Value> | undefined {
  const params = Object.keys(signature);
  const args = new Map<string, Value>();
  if (call.args.length > params.length) {
    ctx.problem(call.range, `${name} takes ${params.length} positional arguments but ${call.args.length} were given`);
    return undefined;
  }
  call.args.forEach((a, i) => args.set(params[i]!, a));
  for (const [k, v] of call.kwargs) {
    if (!Object.hasOwn(signature, k) && !Object.hasOwn(signature, 'kwargs')) {
      ctx.problem(call.range, `${name} got an unexpected keyword argument '${k}'`);
      return undefined;
    }
    args.set(k, v);
  }
  if (call.opaque) for (const p of params) if (!args.has(p)) args.set(p, unknown(call.opaque, call.range));
  return args;
}

interface Choice {
  peft: 'none' | 'lora' | 'dora';
  performance: boolean;
  packed: boolean;
}

function describeChoice(c: Choice): string {
  return `peft_scheme=${c.peft === 'none' ? 'None' : `'${c.peft}'`}`;
}

/**
 * The scenarios the arguments allow. Known arguments pick one; an unknown one keeps every
 * alternative, each with the reason it is kept.
 */
function scenarioChoices(entry: RecipeEntry, factory: Factory, args: Map<string, Value>): { choice: Choice; why: string }[] {
  const sig = entry.functions[factory] ?? {};
  const flag = (name: string, fallback: boolean): { values: boolean[]; why: string } => {
    const v = args.get(name);
    if (v === undefined) {
      const d = sig[name];
      return { values: [d === true || (d === null && fallback)], why: '' };
    }
    const t = v.kind === 'none' ? fallback : truthiness(v);
    return t === undefined ? { values: [false, true], why: `${name} is unknown (${v.kind === 'unknown' ? v.reason : describe(v)})` } : { values: [t], why: '' };
  };
  const performance = flag('performance_mode', false);
  let peft: { values: Choice['peft'][]; why: string } = { values: ['none'], why: '' };
  if (factory === 'finetune_recipe') {
    const v = args.get('peft_scheme');
    const d = entry.finetune?.defaultPeftScheme ?? null;
    const scheme = (x: string | null): Choice['peft'] => (x === null || x.toLowerCase() === 'none' ? 'none' : x.toLowerCase() === 'dora' ? 'dora' : 'lora');
    if (v === undefined) peft = { values: [scheme(d)], why: '' };
    else if (v.kind === 'str') peft = { values: [scheme(v.value)], why: '' };
    else if (v.kind === 'none') peft = { values: ['none'], why: '' };
    else peft = { values: ['none', 'lora'], why: `peft_scheme is unknown (${v.kind === 'unknown' ? v.reason : describe(v)})` };
  }
  const out: { choice: Choice; why: string }[] = [];
  for (const p of peft.values)
    for (const perf of performance.values) {
      const packed = flag('packed_sequence', perf);
      for (const pk of packed.values) out.push({ choice: { peft: p, performance: perf, packed: pk }, why: [peft.why, performance.why, packed.why].filter(Boolean).join('; ') });
    }
  return out;
}

function scenarioTree(entry: RecipeEntry, factory: Factory, choice: Choice): ConfigTree | { error: string } | undefined {
  switch (factory) {
    case 'pretrain_recipe':
      return entry.pretrain;
    case 'finetune_recipe': {
      const tree = choice.peft === 'none' ? entry.finetune?.fullSFT : entry.finetune?.lora;
      if (tree && choice.peft === 'dora' && isTree(tree) && isTree(tree['peft'])) return { ...tree, peft: { ...tree['peft'], _target_: 'DoRA' } };
      return tree;
    }
    case 'trainer':
      return entry.trainer;
    case 'model': {
      const tree = entry.pretrain ?? entry.finetune?.fullSFT ?? entry.finetune?.lora;
      if (tree && isTree(tree) && isTree(tree['model'])) {
        const model = tree['model'];
        const config = isTree(model['config']) ? { _target_: model['config']._target_ } : undefined;
        return { _target_: model._target_, ...(config ? { config } : {}) };
      }
      return undefined;
    }
  }
}

function diffsFor(entry: RecipeEntry, factory: Factory, choice: Choice): Record<string, unknown> {
  if (factory === 'pretrain_recipe') return choice.performance ? (entry.pretrainPerformance ?? {}) : {};
  if (factory !== 'finetune_recipe' || !entry.finetune) return {};
  const packed = entry.finetune.packed ?? {};
  if (!choice.performance) return choice.packed ? packed : {};
  // Performance mode defaults packed_sequence to True, and the catalog's performance diff was
  // recorded that way; with packing turned off explicitly, its packing changes do not apply.
  const performance = (choice.peft === 'none' ? entry.finetune.fullSFTPerformance : entry.finetune.loraPerformance) ?? {};
  if (choice.packed) return performance;
  return Object.fromEntries(Object.entries(performance).filter(([path]) => !(path in packed)));
}

function applyArguments(ctx: CallContext, root: ObjectValue, args: Map<string, Value>, choice: Choice, factory: Factory): void {
  for (const [name, value] of args) {
    if (SCENARIO_ARGUMENTS.has(name)) continue;
    for (const path of own(ARGUMENT_PATHS, name) ?? []) setPath(ctx, root, factory === 'trainer' ? path.replace(/^trainer\./, '') : path, value);
  }
  const seq = args.get('seq_length');
  if (seq && seq.kind !== 'none') {
    setPath(ctx, root, 'data.seq_length', seq);
    if (factory === 'finetune_recipe') {
      setPath(ctx, root, 'model.config.seq_length', seq);
      if (choice.packed) setPath(ctx, root, 'data.packed_sequence_specs.packed_sequence_size', seq);
    }
  }
  const precision = args.get('precision');
  if (precision && precision.kind === 'str' && precision.value !== 'bf16-mixed') {
    setPath(ctx, root, factory === 'trainer' ? 'plugins.precision' : 'trainer.plugins.precision', precision);
  }
}

/**
 * Sets a dotted path below an object, creating dictionaries for missing intermediate parts (as
 * `recipe.data.dataset_kwargs = {...}` in packed mode does). Paths through values that are not
 * objects are left alone.
 */
export function setPath(ctx: CallContext, root: ObjectValue, path: string, value: Value): void {
  const parts = path.split('.');
  let cur: Value = root;
  for (const part of parts.slice(0, -1)) {
    if (cur.kind === 'object') {
      let next: Value | undefined = cur.attrs.get(part);
      if (!next || next.kind === 'none') {
        next = { kind: 'dict', id: ctx.state.newId(), entries: new Map(), prov: root.prov };
        ctx.state.write({ kind: 'attr', obj: cur, name: part }, next);
      }
      cur = next;
    } else if (cur.kind === 'dict') {
      let next: Value | undefined = cur.entries.get(part);
      if (!next) {
        next = { kind: 'dict', id: ctx.state.newId(), entries: new Map(), prov: root.prov };
        ctx.state.write({ kind: 'entry', dict: cur, key: part }, next);
      }
      cur = next;
    } else return;
  }
  const last = parts[parts.length - 1]!;
  if (cur.kind === 'object') ctx.state.write({ kind: 'attr', obj: cur, name: last }, value);
  else if (cur.kind === 'dict') ctx.state.write({ kind: 'entry', dict: cur, key: last }, value);
}

export function isRecipeModule(name: string): boolean {
  return recipeEntry(name) !== undefined;
}
