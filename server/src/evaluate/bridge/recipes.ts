// Megatron-Bridge recipe functions: `llama3_8b_pretrain_config()` and every other name under
// `megatron.bridge.recipes`. A call builds, from the catalog, the ConfigContainer the recipe
// returns (parallel sizes on cfg.model, batch sizes on cfg.train, the sequence length on
// cfg.dataset and cfg.model, mixed precision, the distributed optimizer, PEFT), every value marked
// as the recipe's default. Which era's recipe a name means follows the call: arguments pick an era
// whose recipes take them (0.1: keyword parameters; 0.2 to 0.3: **user_kwargs); otherwise the
// newest. Arguments to a recipe that takes none are reported: Python raises TypeError there.
import { bridgeCatalog, bridgeCitation, bridgeEra, bridgeRecipes, type BridgeRecipe } from '../../catalog/bridgeRecipes';
import { bridgeEraOfVersion } from '../../catalog/bridgeVersions';
import type { AssumedBridgeVersion } from '../surroundings';
import { fromLiteral } from '../tree';
import { setHfArchitecture } from './models';
import type { Range } from '../../parse/positions';
import { str, unknown, type CallArgs, type CallRewrite, type CallContext, type NativeCall, type ObjectValue, type Provenance, type Value } from '../values';
import { own } from '../../catalog/own';

/** Era A keyword parameters, and where they land. */
const ERA_A_ARGUMENTS: Record<string, string> = {
  tensor_parallelism: 'model.tensor_model_parallel_size',
  pipeline_parallelism: 'model.pipeline_model_parallel_size',
  virtual_pipeline_parallelism: 'model.virtual_pipeline_model_parallel_size',
  context_parallelism: 'model.context_parallel_size',
  sequence_parallelism: 'model.sequence_parallel',
  expert_parallelism: 'model.expert_model_parallel_size',
  global_batch_size: 'train.global_batch_size',
  micro_batch_size: 'train.micro_batch_size',
};

/** Era B's **user_kwargs: the cfg.model field names, the batch sizes and the sequence length. */
const ERA_B_ARGUMENTS: Record<string, string> = {
  tensor_model_parallel_size: 'model.tensor_model_parallel_size',
  pipeline_model_parallel_size: 'model.pipeline_model_parallel_size',
  virtual_pipeline_model_parallel_size: 'model.virtual_pipeline_model_parallel_size',
  context_parallel_size: 'model.context_parallel_size',
  sequence_parallel: 'model.sequence_parallel',
  expert_model_parallel_size: 'model.expert_model_parallel_size',
  expert_tensor_parallel_size: 'model.expert_tensor_parallel_size',
  global_batch_size: 'train.global_batch_size',
  micro_batch_size: 'train.micro_batch_size',
};

/** The mixed-precision recipe a HEAD name says (`..._fp8cs_config`), bf16 otherwise. */
function precisionOf(name: string): string {
  if (/_fp8_?cs(_|$)|current_scaling/.test(name)) return 'bf16_with_fp8_current_scaling_mixed';
  if (/mxfp8|_fp8mx(_|$)/.test(name)) return 'bf16_with_mxfp8_mixed';
  if (/_fp8(_|$)/.test(name)) return 'bf16_with_fp8_mixed';
  return 'bf16_mixed';
}

/**
 * Keyword arguments a few parameterless-era recipes still take (`<model>_peft_config(peft_scheme=...)`,
 * `mixed_precision_recipe=`): the catalog does not record which, so they never count as errors.
 */
const STILL_TAKEN = new Set(['peft_scheme', 'mixed_precision_recipe']);
/** The override parameters of 0.1 and 0.2 to 0.3 that the parameterless recipes dropped. */
const DROPPED = new Set([...Object.keys(ERA_A_ARGUMENTS), ...Object.keys(ERA_B_ARGUMENTS), 'seq_length', 'train_iters', 'dir', 'name', 'hf_path', 'mock', 'data_paths', 'per_split_data_args_path', 'peft', 'packed_sequence', 'pipeline_dtype']);

/** The records of one recipe name, the version assumed, and what the call passed. */
interface Choice {
  recipe: BridgeRecipe;
  /** Why this era's recipe was taken, for the hover. */
  assumed: string;
  /** An argument the chosen recipe does not take ('' for positional arguments). */
  refused?: string;
}

/**
 * The recipe a call means. A pinned version (a setting, the workspace's lock files) picks its
 * era's record. Otherwise arguments need an era whose recipes take them, and no arguments mean
 * the newest. An argument that the chosen era's recipe does not take is a TypeError: reported
 * when it is one of the dropped overrides.
 */
function pick(records: readonly BridgeRecipe[], call: CallArgs, pinned: AssumedBridgeVersion | undefined): Choice {
  const passed = [...call.kwargs.keys()].filter((k) => !STILL_TAKEN.has(k));
  const refusedBy = (r: BridgeRecipe) => (r.style !== 'parameterless' || (passed.length === 0 && call.args.length === 0) ? undefined : call.args.length > 0 ? '' : passed.find((k) => DROPPED.has(k)));
  const era = pinned ? bridgeEraOfVersion(pinned.version) : undefined;
  const inEra = era && records.find((r) => bridgeEra(r) === era);
  if (pinned && inEra) return { recipe: inEra, assumed: `Megatron-Bridge ${pinned.version} (${pinned.source})`, ...optional(refusedBy(inEra)) };
  const newest = records[0]!;
  const notPinned = pinned ? `${pinned.version} (${pinned.source}) has no ${newest.function}` : 'no version pinned';
  if (passed.length === 0 && call.args.length === 0) return { recipe: newest, assumed: `the newest recipes in the catalog (${notPinned})` };
  const taking = records.find((r) => r.style !== 'parameterless');
  if (taking) return { recipe: taking, assumed: `the call passes arguments, which ${snapshotVersions(taking)} recipes take (${notPinned})` };
  return { recipe: newest, assumed: `the newest recipes in the catalog (${notPinned})`, ...optional(refusedBy(newest)) };
}

function optional(refused: string | undefined): { refused?: string } {
  return refused === undefined ? {} : { refused };
}

function snapshotVersions(r: BridgeRecipe): string {
  return `Megatron-Bridge ${bridgeCatalog().source.snapshots[r.snapshot]!.versions}`;
}

/** What a refused call should do instead: set the value on the returned config. */
function refusal(name: string, records: readonly BridgeRecipe[], choice: Choice): string {
  const refused = choice.refused!;
  const instead = ERA_B_ARGUMENTS[refused] ?? ERA_A_ARGUMENTS[refused];
  const what = refused ? `'${refused}' raises TypeError` : 'positional arguments raise TypeError';
  const set = `call it without arguments and set ${instead ? `cfg.${instead}` : 'the value'} on the returned config`;
  if (choice.assumed.startsWith('Megatron-Bridge ')) return `${name} takes no arguments in ${choice.assumed} (${what}); ${set}`;
  const oldest = records.filter((r) => r.style === 'parameterless').at(-1)!;
  const since = bridgeCatalog().source.snapshots[oldest.snapshot]!.versions.split(' ')[0];
  return `${name} takes no arguments in Megatron-Bridge ${since} and later (${what}); ${set}`;
}

/**
 * The refused call rewritten: each keyword argument assigned to the config the call returns, when
 * every one has a place there (a keyword argument written `name=value`, no positional ones).
 */
function rewriteOf(call: CallArgs, recipe: BridgeRecipe): CallRewrite | undefined {
  if (call.args.length || call.opaque) return undefined;
  const assignments: CallRewrite['assignments'] = [];
  for (const [k, v] of call.kwargs) {
    const paths = k === 'seq_length' ? ['model.seq_length', `dataset.${datasetSeqKey(recipe)}`] : [own(ERA_B_ARGUMENTS, k) ?? own(ERA_A_ARGUMENTS, k)];
    const at = v.kind === 'unknown' ? undefined : v.prov.assignedAt;
    if (!paths[0] || !at) return undefined;
    assignments.push({ paths: paths as string[], value: at });
  }
  return { call: call.range, assignments };
}

/**
 * The dataset field holding the sequence length: Megatron-Core's GPTDatasetConfig calls it
 * `sequence_length`, which pretraining recipes of 0.1 to 0.3 set and validate() compares; later
 * Bridge versions and the finetuning datasets use `seq_length`.
 */
function datasetSeqKey(r: BridgeRecipe): 'sequence_length' | 'seq_length' {
  const era = bridgeEra(r);
  return (era === 'A' || era === 'B') && r.mode === 'pretrain' ? 'sequence_length' : 'seq_length';
}

function tree(r: BridgeRecipe): Record<string, unknown> {
  const catalog = bridgeCatalog();
  const configClass = r.hfModel ? catalog.hfModels[r.hfModel] : r.provider ? catalog.providers[r.provider] : undefined;
  const modelSeq = r.modelSeqLength ?? r.seqLength;
  return {
    _target_: 'ConfigContainer',
    model: {
      _target_: configClass ?? 'GPTModelProvider',
      tensor_model_parallel_size: r.tp ?? 1,
      pipeline_model_parallel_size: r.pp ?? 1,
      virtual_pipeline_model_parallel_size: r.vp,
      context_parallel_size: r.cp ?? 1,
      expert_model_parallel_size: r.ep ?? 1,
      expert_tensor_parallel_size: r.etp,
      sequence_parallel: r.sp ?? false,
      // Megatron-Core's ModelParallelConfig defaults, which the recipes keep.
      microbatch_group_size_per_vp_stage: null,
      num_layers_in_first_pipeline_stage: null,
      num_layers_in_last_pipeline_stage: null,
      account_for_embedding_in_pipeline_split: false,
      account_for_loss_in_pipeline_split: false,
      ...(modelSeq ? { seq_length: modelSeq } : {}),
    },
    train: { _target_: 'TrainingConfig', global_batch_size: r.gbs, micro_batch_size: r.mbs },
    dataset: { _target_: r.mode === 'pretrain' ? 'GPTDatasetConfig' : 'FinetuningDatasetConfig', [datasetSeqKey(r)]: r.seqLength },
    mixed_precision: precisionOf(r.function),
    // recipes/common.py: the distributed optimizer; bf16_mixed reduces gradients in fp32.
    ddp: { _target_: 'DistributedDataParallelConfig', use_distributed_optimizer: true, grad_reduce_in_fp32: true },
    peft: r.peft ? { _target_: r.peft.toLowerCase() === 'dora' ? 'DoRA' : 'LoRA' } : null,
  };
}

/** The PEFT object a `peft_scheme` argument asks for: "lora", "dora" or None. */
function peftOf(ctx: CallContext, scheme: Value, at: Range): Value {
  if (scheme.kind === 'none') return scheme;
  if (scheme.kind !== 'str') return unknown(`peft_scheme ${scheme.kind === 'unknown' ? scheme.reason : 'is not a string'}`, at);
  const cls = scheme.value.toLowerCase() === 'dora' ? 'DoRA' : scheme.value.toLowerCase() === 'lora' ? 'LoRA' : undefined;
  return cls ? fromLiteral(ctx.state, { _target_: cls }, scheme.prov) : unknown(`the PEFT scheme "${scheme.value}" is not modelled`, at);
}

function setPath(root: ObjectValue, path: string, value: Value): void {
  const parts = path.split('.');
  let cur: Value = root;
  for (const p of parts.slice(0, -1)) cur = cur.kind === 'object' ? (cur.attrs.get(p) ?? unknown(`${p} is not set`)) : cur;
  if (cur.kind === 'object') cur.attrs.set(parts[parts.length - 1]!, value);
}

/**
 * The records a dotted name can mean: the per-size modules of 0.1 name their recipes
 * `pretrain_config` in the module of each size, so those match by module; other recipes are
 * imported from their module, their family or the package, so they match by function name.
 */
export function bridgeRecordsFor(path: string): readonly BridgeRecipe[] {
  const dot = path.lastIndexOf('.');
  const functionName = path.slice(dot + 1);
  const module = path.slice(0, dot);
  const all = bridgeRecipes(functionName);
  const inModule = all.filter((r) => r.style === 'per-size-module' && r.module === module);
  return inModule.length ? inModule : all.filter((r) => r.style !== 'per-size-module');
}

export function callBridgeRecipe(ctx: CallContext, path: string, call: CallArgs): Value {
  const functionName = path.slice(path.lastIndexOf('.') + 1);
  const records = bridgeRecordsFor(path);
  if (!records.length) return unknown(`${functionName} is not a Megatron-Bridge recipe the catalog knows`, call.range);
  const choice = pick(records, call, ctx.surroundings.bridgeVersion);
  const recipe = choice.recipe;
  const name = `${functionName}()`;
  if (choice.refused !== undefined) {
    ctx.problem(call.range, refusal(name, records, choice), rewriteOf(call, recipe));
    return unknown(`${name} raises TypeError: it takes no arguments`, call.range);
  }
  const prov: Provenance = { source: 'recipe-default', range: call.range, detail: `set by ${name} (${bridgeCitation(recipe)})` };
  const root = fromLiteral(ctx.state, tree(recipe), prov) as ObjectValue;
  root.origin = { recipe: functionName, factory: 'bridge', bridge: { era: bridgeEra(recipe), snapshot: recipe.snapshot, gpusInName: recipe.gpusInName, assumed: choice.assumed } };
  const model = root.attrs.get('model');
  if (model?.kind === 'object' && model.cls === 'GPTModelProvider') {
    // The recipe's model is not catalogued: its Hugging Face config, when the cache has it.
    const id = recipe.hfModel ? str(recipe.hfModel, prov) : unknown(`${name} builds ${recipe.provider ?? 'a model provider'}, which is not in the catalog`, call.range);
    setHfArchitecture(ctx, model, id, call.range);
  }
  const paths = recipe.style === 'per-size-module' ? ERA_A_ARGUMENTS : ERA_B_ARGUMENTS;
  for (const [k, v] of call.kwargs) {
    const path = own(paths, k);
    if (path) setPath(root, path, v);
    if (k === 'mixed_precision_recipe') setPath(root, 'mixed_precision', v);
    if (k === 'peft_scheme') setPath(root, 'peft', peftOf(ctx, v, call.range));
    // Both eras' seq_length parameter sets the model's and the dataset's.
    if (k === 'seq_length') {
      setPath(root, 'model.seq_length', v);
      setPath(root, `dataset.${datasetSeqKey(recipe)}`, v);
    }
  }
  if (call.opaque) root.opaque = { reason: `arguments that are not known (${call.opaque})`, range: call.range };
  return root;
}

/** What `run.Partial(pretrain, config=cfg, ...)` of a Bridge entry point is: an object of this class. */
export const BRIDGE_PARTIAL = 'megatron.bridge.training';

/** The entry points' parameters, for `run.Partial(pretrain, cfg, forward_step)`. */
export const BRIDGE_ENTRY_PARAMS = ['config', 'forward_step_func'];

/** `pretrain(cfg, forward_step)` and `finetune(cfg, forward_step)` of megatron.bridge.training: the job runs here. */
export function bridgeEntryPoint(name: 'pretrain' | 'finetune'): NativeCall {
  return (ctx, call) => {
    const config = call.args[0] ?? call.kwargs.get('config');
    if (config) ctx.state.launch({ task: config, executor: undefined, range: call.range, how: `${name}()` });
    return unknown(`the result of ${name}() is only known after training`, call.range);
  };
}
