// Megatron-Bridge model providers, the objects that live on `cfg.model`: the provider classes a
// script constructs (`Llama3ModelProvider8B(...)`, `GPTModelProvider(...)`) and the ones
// `AutoBridge.from_hf_pretrained(id).to_megatron_provider()` builds from a Hugging Face model.
// A provider holds the architecture and the parallel sizes; a fresh one has Megatron-Core's
// ModelParallelConfig defaults, so replacing `cfg.model` drops every parallel size set before.
import { bridgeCatalog } from '../../catalog/bridgeRecipes';
import { fromLiteral } from '../tree';
import type { ClassModel, Literal } from '../library';
import { GPT_CONFIG_DEFAULTS, nemoClass } from '../nemo/classes';
import { bindFields, newObject } from '../objects';
import type { Range } from '../../parse/positions';
import { unknown, type CallContext, type NativeCall, type ObjectValue, type Provenance, type Value } from '../values';
import { architectureFromHfConfig } from './hfArchitecture';
import { bridgeConfigClass } from './config';
import { own } from '../../catalog/own';

const BRIDGE = 'NVIDIA-NeMo/Megatron-Bridge';

/** Megatron-Core ModelParallelConfig defaults (megatron/core/model_parallel_config.py), which a provider starts from. */
export const PARALLEL_DEFAULTS: Record<string, Literal> = {
  tensor_model_parallel_size: 1,
  pipeline_model_parallel_size: 1,
  virtual_pipeline_model_parallel_size: null,
  context_parallel_size: 1,
  expert_model_parallel_size: 1,
  expert_tensor_parallel_size: null,
  sequence_parallel: false,
  microbatch_group_size_per_vp_stage: null,
  num_layers_in_first_pipeline_stage: null,
  num_layers_in_last_pipeline_stage: null,
  account_for_embedding_in_pipeline_split: false,
  account_for_loss_in_pipeline_split: false,
};

/** The architecture fields a plan reads; unknown together when the architecture is. */
const ARCHITECTURE_FIELDS = ['num_layers', 'hidden_size', 'num_attention_heads', 'ffn_hidden_size', 'num_query_groups', 'kv_channels', 'vocab_size', 'num_moe_experts'];

/**
 * The provider's own seq_length default differs between families and versions and is not in the
 * catalog: unknown until the script sets it, so that no sequence-length rule fires on a guess.
 */
function seqLengthUnknown(cls: string, range: Range): Value {
  return unknown(`${cls}'s default seq_length is not in the catalog (set cfg.model.seq_length)`, range);
}

function withParallelDefaults(ctx: CallContext, obj: ObjectValue, detail: string): void {
  for (const [k, v] of Object.entries(PARALLEL_DEFAULTS)) {
    if (!obj.attrs.has(k)) obj.attrs.set(k, fromLiteral(ctx.state, v, { source: 'class-default', range: obj.prov.range, detail: `${detail} default for ${k} (Megatron-Core ModelParallelConfig)` }));
  }
}

/** `Llama3ModelProvider8B(tensor_model_parallel_size=2)`: the architecture of the NeMo config of the same model. */
const constructProvider: NativeCall = (ctx, call, cls) => {
  const name = cls?.kind === 'class' ? cls.name : 'GPTModelProvider';
  const obj = newObject(ctx.state, name, 'eager', call);
  bindFields(obj, bridgeClass(name), [], call);
  if (name !== 'GPTModelProvider' && !obj.attrs.has('seq_length')) obj.attrs.set('seq_length', seqLengthUnknown(name, call.range));
  return obj;
};

/**
 * The provider AutoBridge builds for a Hugging Face model: the catalogued architecture, else the
 * one in config.json of the local cache, else an architecture that is unknown, with why.
 */
export function providerForHfModel(ctx: CallContext, id: Value, prov: Provenance, range: Range): ObjectValue {
  const known = id.kind === 'str' ? own(bridgeCatalog().hfModels, id.value) : undefined;
  const obj: ObjectValue = { kind: 'object', id: ctx.state.newId(), cls: known ?? 'GPTModelProvider', form: 'eager', attrs: new Map(), prov };
  if (!known) setHfArchitecture(ctx, obj, id, range);
  withParallelDefaults(ctx, obj, id.kind === 'str' ? `the provider of ${id.value}` : 'the provider');
  obj.attrs.set('seq_length', unknown(`the provider of ${id.kind === 'str' ? id.value : 'the model'} takes seq_length from the Hugging Face config (set cfg.model.seq_length)`, range));
  return obj;
}

/** Sets the architecture of a model the catalog does not know: from config.json in the local cache, else unknown with why. */
export function setHfArchitecture(ctx: CallContext, obj: ObjectValue, id: Value, range: Range): void {
  const architecture = hfArchitecture(ctx, id);
  if ('reason' in architecture) {
    for (const name of ARCHITECTURE_FIELDS) obj.attrs.set(name, unknown(architecture.reason, range));
    return;
  }
  const from: Provenance = { source: 'recipe-default', range, detail: `read from ${architecture.path}` };
  for (const [k, v] of Object.entries(architecture.fields)) obj.attrs.set(k, fromLiteral(ctx.state, v, from));
}

function hfArchitecture(ctx: CallContext, id: Value): { fields: Record<string, Literal>; path: string } | { reason: string } {
  if (id.kind !== 'str') return { reason: `the Hugging Face model id ${id.kind === 'unknown' ? `is unknown (${id.reason})` : 'is not a string'}` };
  const lookup = ctx.surroundings.hfConfig?.(id.value);
  if (!lookup) return { reason: `${id.value} is not in the catalog of Hugging Face models` };
  if ('reason' in lookup) return { reason: `${id.value} is not in the catalog of Hugging Face models, and ${lookup.reason}` };
  const arch = architectureFromHfConfig(lookup.config);
  return 'reason' in arch ? { reason: `${id.value} (${lookup.path}): ${arch.reason}` } : { ...arch, path: lookup.path };
}

/** `AutoBridge.from_hf_pretrained(id)`: remembers the id; the provider is built by the calls on it. */
const fromHfPretrained: NativeCall = (ctx, call) => {
  const obj = newObject(ctx.state, 'AutoBridge', 'eager', call, 'AutoBridge.from_hf_pretrained(...)');
  obj.attrs.set('hf_path', call.args[0] ?? call.kwargs.get('path') ?? unknown('from_hf_pretrained() was given no model id', call.range));
  return obj;
};

const toProvider: NativeCall = (ctx, call, self) => {
  const id = self?.kind === 'object' ? (self.attrs.get('hf_path') ?? unknown('the model id is not known', call.range)) : unknown('the model id is not known', call.range);
  return providerForHfModel(ctx, id, { source: 'recipe-default', range: call.range, detail: `built by AutoBridge for ${id.kind === 'str' ? id.value : 'the model'}` }, call.range);
};

const AUTO_BRIDGE: ClassModel = {
  name: 'AutoBridge',
  params: [],
  defaults: {},
  source: `${BRIDGE} src/megatron/bridge/models/conversion/auto_bridge.py`,
  methods: { to_megatron_provider: toProvider, get_model_config: toProvider },
  classMethods: { from_hf_pretrained: fromHfPretrained },
};

/**
 * The provider models made so far, by name, each when a file first names it: making them all
 * made every NeMo model config of the catalog the first time any name was looked up here (see
 * nemoClass). Only names that have a model are kept.
 */
const made = new Map<string, ClassModel>();

export function bridgeClass(name: string): ClassModel | undefined {
  let model = made.get(name);
  if (model === undefined) {
    model = makeClass(name);
    if (model) made.set(name, model);
  }
  return model ?? bridgeConfigClass(name);
}

/** AutoBridge; a provider of the catalog whose NeMo config has a model; GPTModelProvider. */
function makeClass(name: string): ClassModel | undefined {
  if (name === 'AutoBridge') return AUTO_BRIDGE;
  const providers = bridgeCatalog().providers;
  const nemo = Object.hasOwn(providers, name) ? nemoClass(providers[name]!) : undefined;
  if (nemo) {
    // Object.assign, not a literal of two spreads, which V8 builds key by key on its slow path.
    return { name, params: [], defaults: Object.assign({}, nemo.defaults, PARALLEL_DEFAULTS), source: `${BRIDGE} ${name}, with the architecture of NeMo's ${providers[name]} (${nemo.source})`, construct: constructProvider };
  }
  if (name === 'GPTModelProvider') return { name, params: [], defaults: Object.assign({}, GPT_CONFIG_DEFAULTS, PARALLEL_DEFAULTS), source: `${BRIDGE} src/megatron/bridge/models/gpt_provider.py`, construct: constructProvider };
  return undefined;
}

/** The NeMo config class whose catalog entry describes a provider class (itself for NeMo classes). */
export function catalogConfigClass(name: string): string {
  return own(bridgeCatalog().providers, name) ?? name;
}
