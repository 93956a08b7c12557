// Finding the training jobs an evaluated file defines and resolving each into a Plan.
//
// A job is a `run.Partial(llm.pretrain | finetune | train, ...)` (what recipe factories return),
// an eager `llm.pretrain(...)` call, or, when nothing wraps it, a Trainer with a MegatronStrategy.
// Jobs are found among what the file launches (`run.run`, `Experiment.add`, `run.cli.main`), what
// its module-level names hold at the end, and what uncalled entry functions return.
import type { Evaluation } from '../evaluate/interpreter';
import { isModelConfigClass } from '../evaluate/nemo/classes';
import { catalogConfigClass } from '../evaluate/bridge/models';
import { BRIDGE_PARTIAL } from '../evaluate/bridge/recipes';
import { directiveWorldOf, launchWorld, unstatedWorld, type FoundLaunch } from './bridgeWorld';
import { recipeEntry } from '../evaluate/nemo/recipes';
import { JOB_FUNCTIONS } from '../evaluate/nemo/api';
import { nemoCatalog } from '../catalog/nemoRecipes';
import type { Range } from '../parse/positions';
import type { CallContext, ObjectValue, Provenance, UnknownValue, Value } from '../evaluate/values';
import { boolField, derivedField, intField, intOrListField, knownField, strField, strListField, unknownField } from './fields';
import { parameterCount } from './parameters';
import type { Field, ModelArchitecture, Parallelism, Plan, StatedWorld, World } from './plan';
import { bridgeCatalog, type BridgeSnapshot } from '../catalog/bridgeRecipes';
import { own } from '../catalog/own';

const NOWHERE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function isJob(v: Value): v is ObjectValue {
  return v.kind === 'object' && (JOB_FUNCTIONS as readonly string[]).includes(v.cls);
}

function isTrainer(v: Value): v is ObjectValue {
  return v.kind === 'object' && v.cls === 'Trainer';
}

/** A Megatron-Bridge job: the ConfigContainer a recipe returns (or the file builds). */
function isBridgeConfig(v: Value): v is ObjectValue {
  return v.kind === 'object' && v.cls === 'ConfigContainer';
}

/** A job of either library (not a type guard: callers go on with the object either way). */
function isJobObject(o: ObjectValue): boolean {
  return isJob(o) || isBridgeConfig(o);
}

export function extractPlans(ctx: CallContext, evaluation: Evaluation, directiveWorld?: StatedWorld, launches: readonly FoundLaunch[] = []): Plan[] {
  const reader = new Reader(ctx, directiveWorld, launches);
  const launched = new Map<number, { job: ObjectValue; executor: Value | undefined; how: string }[]>();
  const roots: ObjectValue[] = [];
  const rootIds = new Set<number>();
  const addRoot = (o: ObjectValue) => {
    if (rootIds.has(o.id)) return;
    rootIds.add(o.id);
    roots.push(o);
  };
  for (const l of evaluation.launches) {
    // `run.Partial(pretrain, config=cfg, ...)` of Megatron-Bridge runs its ConfigContainer.
    const config = l.task.kind === 'object' && l.task.cls === BRIDGE_PARTIAL ? l.task.attrs.get('config') : undefined;
    const task = config && isBridgeConfig(config) ? config : l.task;
    if (!(isJob(task) || isTrainer(task) || isBridgeConfig(task))) continue;
    addRoot(task);
    const list = launched.get(task.id) ?? [];
    list.push({ job: task, executor: l.executor, how: l.how });
    launched.set(task.id, list);
  }
  const found: ObjectValue[] = [];
  const visit = (v: Value, seen: Set<number>) => {
    if (v.kind === 'object') {
      if (seen.has(v.id)) return;
      seen.add(v.id);
      const job = isJobObject(v);
      if (job || isTrainer(v)) found.push(v);
      // A job's own tree (its trainer, model, data: a recipe's hundreds of values) holds no
      // other job, and a trainer found only inside a job is planned with it: not walked.
      if (!job) for (const a of v.attrs.values()) visit(a, seen);
    } else if (v.kind === 'list' || v.kind === 'tuple') {
      if (seen.has(v.id)) return;
      seen.add(v.id);
      if (Array.isArray(v.items)) for (const i of v.items) visit(i, seen);
    } else if (v.kind === 'dict') {
      if (seen.has(v.id)) return;
      seen.add(v.id);
      for (const i of v.entries.values()) visit(i, seen);
    }
  };
  const seen = new Set<number>();
  for (const v of evaluation.globals.vars.values()) visit(v, seen);
  for (const r of evaluation.entryResults) visit(r.value, seen);
  for (const o of found) addRoot(o);

  // A trainer that a job holds is planned with the job, not on its own.
  const inJobs = new Set<number>();
  for (const r of roots) if (isJob(r)) {
    const t = r.attrs.get('trainer');
    if (t?.kind === 'object') inJobs.add(t.id);
  }
  const plans: Plan[] = [];
  for (const root of roots) {
    if (isTrainer(root) && (inJobs.has(root.id) || !reader.usesMegatron(root))) continue;
    const launches = launched.get(root.id) ?? [{ job: root, executor: undefined, how: '' }];
    const seenExecutors = new Set<unknown>();
    for (const l of launches) {
      const key = l.executor?.kind === 'object' ? l.executor.id : (l.executor?.kind ?? 'none');
      if (seenExecutors.has(key)) continue;
      seenExecutors.add(key);
      plans.push(isBridgeConfig(root) ? reader.bridgePlan(root, l.executor, l.how || null) : reader.plan(root, l.executor, l.how || null));
    }
  }
  return plans.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/**
 * A dotted field path split once: the parts then stay the same string objects, whose hashes
 * the maps they are looked up in keep.
 */
function pathParts(path: string): readonly string[] {
  let parts = splitPaths.get(path);
  if (!parts) {
    parts = path.split('.');
    splitPaths.set(path, parts);
  }
  return parts;
}

const splitPaths = new Map<string, readonly string[]>();

/** Reads fields of evaluated objects the way Python would, with class defaults. */
class Reader {
  constructor(
    private readonly ctx: CallContext,
    private readonly directiveWorld: StatedWorld | undefined,
    private readonly launches: readonly FoundLaunch[],
  ) {}

  get(obj: Value | undefined, path: string): Value {
    let cur: Value = obj ?? { kind: 'unknown', reason: 'not set' };
    for (const part of pathParts(path)) {
      if (cur.kind === 'none') return { kind: 'unknown', reason: `${part} is read from None` };
      cur = cur.kind === 'dict' ? (cur.entries.get(part) ?? cur.unlisted ?? { kind: 'unknown', reason: `${part} is not set` }) : this.ctx.getAttr(cur, part, NOWHERE);
    }
    return cur;
  }

  usesMegatron(trainer: ObjectValue): boolean {
    const s = this.get(trainer, 'strategy');
    return s.kind === 'object' && s.cls === 'MegatronStrategy';
  }

  plan(root: ObjectValue, executor: Value | undefined, launchedBy: string | null): Plan {
    const isJobRoot = isJob(root);
    const trainer = isJobRoot ? this.get(root, 'trainer') : root;
    const strategy = this.get(trainer, 'strategy');
    const megatron = strategy.kind === 'object' && strategy.cls === 'MegatronStrategy';
    const notMegatron = strategy.kind === 'unknown' ? strategy.reason : `the trainer's strategy is ${strategy.kind === 'str' ? `"${strategy.value}"` : 'not a MegatronStrategy'}`;
    const sField = <T>(name: string, as: (v: Value) => Field<T>): Field<T> => (megatron ? as(this.get(strategy, name)) : unknownField<T>(notMegatron));

    const world = this.trainerWorld(trainer);
    const tp = sField('tensor_model_parallel_size', intField);
    const pp = sField('pipeline_model_parallel_size', intField);
    const cp = sField('context_parallel_size', intField);
    const parallelism: Parallelism = {
      tp,
      pp,
      vp: sField('virtual_pipeline_model_parallel_size', intField),
      cp,
      ep: sField('expert_model_parallel_size', intField),
      etp: sField('expert_tensor_parallel_size', intField),
      dp: derivedField([world.size, tp, pp, cp], 'world size / (TP x PP x CP)', () => {
        const mp = tp.value! * pp.value! * cp.value!;
        return mp > 0 && world.size.value! % mp === 0 ? world.size.value! / mp : null;
      }),
      sequenceParallel: sField('sequence_parallel', boolField),
      microbatchGroupSizePerVpStage: sField('microbatch_group_size_per_vp_stage', intField),
      numLayersInFirstPipelineStage: sField('num_layers_in_first_pipeline_stage', intField),
      numLayersInLastPipelineStage: sField('num_layers_in_last_pipeline_stage', intField),
      accountForEmbeddingInPipelineSplit: sField('account_for_embedding_in_pipeline_split', boolField),
      accountForLossInPipelineSplit: sField('account_for_loss_in_pipeline_split', boolField),
    };
    if (parallelism.dp.value === null && parallelism.dp.unknown === undefined) {
      parallelism.dp = unknownField(`the world size ${world.size.value} is not divisible by TP x PP x CP = ${tp.value! * pp.value! * cp.value!}`);
    }

    const data = isJobRoot ? this.get(root, 'data') : undefined;
    const noData = 'the job has no data module';
    const config = isJobRoot ? this.get(root, 'model.config') : undefined;
    const plugin = this.precisionPlugin(trainer);
    const peft = isJobRoot ? this.get(root, 'peft') : undefined;
    const exec = executor ? this.executorWorld(executor) : null;

    return {
      range: root.prov.range ?? NOWHERE,
      framework: 'nemo2',
      entryPoint: isJobRoot ? (root.cls as Plan['entryPoint']) : null,
      origin: root.origin
        ? `${root.origin.recipe}.${root.origin.factory}()`
        : root.form === 'eager'
          ? `${isJobRoot ? 'llm.' : ''}${root.cls}()`
          : `run.${root.form === 'partial' ? 'Partial' : 'Config'}(${root.cls})`,
      launchedBy,
      world,
      executorWorld: exec?.world ?? null,
      executor: exec?.name ?? null,
      parallelism,
      batch: {
        global: data ? intField(this.get(data, 'global_batch_size')) : unknownField(noData),
        micro: data ? intField(this.get(data, 'micro_batch_size')) : unknownField(noData),
        seqLength: data ? intField(this.get(data, 'seq_length')) : unknownField(noData),
      },
      model: this.model(config, root),
      precision: plugin ? strField(this.get(plugin, 'precision')) : this.trainerPrecision(trainer),
      fp8: {
        format: plugin ? strField(this.get(plugin, 'fp8')) : knownField<string>(null, null),
        recipe: plugin ? strField(this.get(plugin, 'fp8_recipe')) : knownField<string>(null, null),
        paramGather: plugin ? boolField(this.get(plugin, 'fp8_param_gather')) : knownField<boolean>(null, null),
      },
      attentionBackend: config ? this.attentionBackend(config) : unknownField('the job has no model config'),
      optimizer: this.optimizer(isJobRoot ? root : undefined, strategy, plugin),
      recompute: {
        granularity: config ? strField(this.get(config, 'recompute_granularity')) : unknownField('the job has no model config'),
        method: config ? strField(this.get(config, 'recompute_method')) : unknownField('the job has no model config'),
        numLayers: config ? intField(this.get(config, 'recompute_num_layers')) : unknownField('the job has no model config'),
        modules: config ? strListField(this.get(config, 'recompute_modules')) : unknownField('the job has no model config'),
      },
      peft:
        peft && peft.kind === 'object'
          ? {
              scheme: knownField(peft.cls === 'DoRA' ? 'dora' : peft.cls === 'LoRA' ? 'lora' : peft.cls, peft.prov),
              dim: intField(this.get(peft, 'dim')),
              alpha: intField(this.get(peft, 'alpha')),
              targetModules: strListField(this.get(peft, 'target_modules')),
            }
          : peft && peft.kind === 'unknown'
            ? { scheme: unknownField(peft.reason), dim: unknownField(peft.reason), alpha: unknownField(peft.reason), targetModules: unknownField(peft.reason) }
            : null,
    };
  }

  /**
   * A Megatron-Bridge job: parallel sizes on cfg.model, batch sizes on cfg.train, the sequence
   * length on cfg.dataset. Bridge never stores the world size: it comes from a directive comment.
   */
  bridgePlan(root: ObjectValue, executor: Value | undefined, launchedBy: string | null): Plan {
    const model = this.get(root, 'model');
    const m = (name: string) => this.get(model, name);
    const bridge = root.origin?.bridge;
    const { world, executor: executorName } = this.bridgeWorld(executor, root.origin);
    const tp = intField(m('tensor_model_parallel_size'));
    const pp = intField(m('pipeline_model_parallel_size'));
    const cp = intField(m('context_parallel_size'));
    const ep = intField(m('expert_model_parallel_size'));
    let etp = intField(m('expert_tensor_parallel_size'));
    // Megatron-Bridge 0.6 and later set ETP to 1 when EP > 1 and it is unset (TransformerConfig.finalize).
    if (bridge?.era === 'D' && etp.unknown === undefined && etp.value === null && ep.value !== null && ep.value > 1) {
      etp = knownField(1, { source: 'derived', range: ep.prov?.range ?? null, detail: 'Megatron-Bridge 0.6+ sets expert_tensor_parallel_size to 1 when EP > 1 and it is unset' });
    }
    const parallelism: Parallelism = {
      tp,
      pp,
      vp: intField(m('virtual_pipeline_model_parallel_size')),
      cp,
      ep,
      etp,
      dp: derivedField([world.size, tp, pp, cp], 'world size / (TP x PP x CP)', () => {
        const mp = tp.value! * pp.value! * cp.value!;
        return mp > 0 && world.size.value! % mp === 0 ? world.size.value! / mp : null;
      }),
      sequenceParallel: boolField(m('sequence_parallel')),
      microbatchGroupSizePerVpStage: intField(m('microbatch_group_size_per_vp_stage')),
      numLayersInFirstPipelineStage: intField(m('num_layers_in_first_pipeline_stage')),
      numLayersInLastPipelineStage: intField(m('num_layers_in_last_pipeline_stage')),
      accountForEmbeddingInPipelineSplit: boolField(m('account_for_embedding_in_pipeline_split')),
      accountForLossInPipelineSplit: boolField(m('account_for_loss_in_pipeline_split')),
    };
    if (parallelism.dp.value === null && parallelism.dp.unknown === undefined) {
      parallelism.dp = unknownField(`the world size ${world.size.value} is not divisible by TP x PP x CP = ${tp.value! * pp.value! * cp.value!}`);
    }
    const precision = this.get(root, 'mixed_precision');
    const precisionName = precision.kind === 'str' ? precision.value : undefined;
    const fp8 = precisionName && /fp8/.test(precisionName);
    const p = precision.kind === 'str' ? precision.prov : null;
    const peft = this.get(root, 'peft');
    const seqField = this.get(root, 'dataset.seq_length').kind === 'unknown' && this.get(root, 'dataset.sequence_length').kind !== 'unknown' ? 'sequence_length' : 'seq_length';
    const seq = this.get(root, `dataset.${seqField}`);
    const era = bridge ? bridgeCatalog().source.snapshots[bridge.snapshot as BridgeSnapshot] : undefined;
    // The optional field is added after the literal: a spread inside one this size is slow (see layoutOf).
    const plan: Plan = {
      range: root.prov.range ?? NOWHERE,
      framework: 'megatron-bridge',
      entryPoint: null,
      origin: root.origin ? `${root.origin.recipe}()` : 'ConfigContainer(...)',
      launchedBy,
      world,
      executorWorld: null,
      executor: executorName,
      parallelism,
      batch: {
        global: intField(this.get(root, 'train.global_batch_size')),
        micro: intField(this.get(root, 'train.micro_batch_size')),
        seqLength: intField(seq),
      },
      model: this.model(model, root),
      precision: precisionName !== undefined ? knownField(precisionName.startsWith('fp16') ? '16-mixed' : 'bf16-mixed', p) : unknownField(precision.kind === 'unknown' ? precision.reason : 'the mixed precision configuration is not modelled'),
      fp8: {
        format: precisionName !== undefined ? knownField<string>(fp8 ? 'hybrid' : null, p) : unknownField('the mixed precision configuration is not modelled'),
        recipe: precisionName !== undefined ? knownField<string>(fp8 ? (/current_scaling/.test(precisionName) ? 'tensorwise' : /mxfp8/.test(precisionName) ? 'mxfp8' : 'delayed') : null, p) : unknownField('the mixed precision configuration is not modelled'),
        paramGather: precisionName !== undefined ? knownField<boolean>(fp8 ? true : null, p) : unknownField('the mixed precision configuration is not modelled'),
      },
      attentionBackend: model.kind === 'object' ? this.attentionBackend(model) : unknownField('the model configuration is not modelled'),
      optimizer: { distributed: boolField(this.get(root, 'ddp.use_distributed_optimizer')), gradReduceInFp32: boolField(this.get(root, 'ddp.grad_reduce_in_fp32')) },
      recompute: {
        granularity: strField(m('recompute_granularity')),
        method: strField(m('recompute_method')),
        numLayers: intField(m('recompute_num_layers')),
        modules: strListField(m('recompute_modules')),
      },
      peft:
        peft.kind === 'object'
          ? { scheme: knownField(peft.cls === 'DoRA' ? 'dora' : 'lora', peft.prov), dim: intField(this.get(peft, 'dim')), alpha: intField(this.get(peft, 'alpha')), targetModules: strListField(this.get(peft, 'target_modules')) }
          : peft.kind === 'unknown' && root.attrs.has('peft')
            ? { scheme: unknownField(peft.reason), dim: unknownField(peft.reason), alpha: unknownField(peft.reason), targetModules: unknownField(peft.reason) }
            : null,
    };
    if (bridge && era) plan.bridge = { era: bridge.era, snapshot: bridge.snapshot, versions: era.versions, datasetSeqField: seqField, assumed: bridge.assumed };
    return plan;
  }

  /** Megatron-Bridge's world (see bridgeWorld.ts for the order of its sources). */
  private bridgeWorld(executor: Value | undefined, origin: ObjectValue['origin']): { world: World; executor: string | null } {
    const exec = executor ? this.executorWorld(executor) : null;
    if (this.directiveWorld) return { world: directiveWorldOf(this.directiveWorld), executor: exec?.name ?? null };
    if (exec) return { world: exec.world, executor: exec.name };
    return { world: launchWorld(this.launches) ?? unstatedWorld(origin?.bridge?.gpusInName, origin?.recipe), executor: null };
  }


  /** TransformerConfig.attention_backend: an AttnBackend member, or its name as a string. */
  private attentionBackend(config: Value): Field<string> {
    const v = this.get(config, 'attention_backend');
    if (v.kind === 'str' || v.kind === 'module') {
      const name = v.kind === 'str' ? v.value : v.path.slice(v.path.lastIndexOf('.') + 1);
      return knownField(name === 'unfused' || name === 'local' ? 'unfused' : 'flash', v.prov);
    }
    // Not set by the file or the recipe (the config classes do not model it): the default.
    if (v.kind === 'unknown' && !/is not (set|modelled)/.test(v.reason)) return unknownField(v.reason);
    return knownField('flash', { source: 'class-default', range: null, detail: "Megatron-Core's default attention backend (auto: Transformer Engine's flash or fused attention)" });
  }

  private trainerWorld(trainer: Value): World {
    const nodes = intField(this.get(trainer, 'num_nodes'));
    const devicesValue = this.get(trainer, 'devices');
    const listed = deviceListField(devicesValue);
    let gpusPerNode: Field<number>;
    if (devicesValue.kind === 'str' && devicesValue.value === 'auto') gpusPerNode = unknownField('devices="auto" uses every GPU the node has, which is only known at run time');
    else if (listed) gpusPerNode = listed;
    else if (devicesValue.kind === 'int' && devicesValue.value === -1) gpusPerNode = unknownField('devices=-1 uses every GPU the node has, which is only known at run time');
    else gpusPerNode = intField(devicesValue);
    return { nodes, gpusPerNode, size: product(nodes, gpusPerNode, 'nodes x GPUs per node') };
  }

  /** The node count and processes per node of a NeMo-Run executor, as NeMo-Run computes them. */
  private executorWorld(executor: Value): { name: string; world: World } | null {
    if (executor.kind === 'none') return null;
    if (executor.kind !== 'object') {
      const why = executor.kind === 'unknown' ? executor.reason : `the executor is not a NeMo-Run executor`;
      return { name: 'unknown', world: { nodes: unknownField(why), gpusPerNode: unknownField(why), size: unknownField(why) } };
    }
    const g = (name: string) => intField(this.get(executor, name));
    /** NeMo-Run tests these fields for truthiness: None and 0 both mean "not set". */
    const firstSet = (...fields: Field<number>[]): Field<number> | undefined => {
      for (const f of fields) if (f.unknown !== undefined || f.value) return f;
      return undefined;
    };
    let nodes: Field<number>;
    let perNode: Field<number> | undefined;
    // Without a torchrun launcher, the scheduler starts `ntasks_per_node` processes (Slurm), or
    // one process in which Lightning starts one per device itself (local, Docker). With one,
    // NeMo-Run's _setup_launcher makes torchrun start torchrun_nproc_per_node, or
    // ntasks_per_node, processes per node.
    const launcher = this.get(executor, 'launcher');
    const torchrun = (launcher.kind === 'str' && (launcher.value === 'torchrun' || launcher.value === 'ft')) || (launcher.kind === 'object' && (launcher.cls === 'Torchrun' || launcher.cls === 'FaultTolerance'));
    const launcherUnknown = launcher.kind === 'unknown' ? unknownField<number>(`the executor's launcher is unknown (${launcher.reason})`) : undefined;
    switch (executor.cls) {
      case 'LocalExecutor':
      case 'DockerExecutor':
        nodes = executor.cls === 'DockerExecutor' ? knownField(1, executor.prov) : g('nodes');
        perNode = launcherUnknown ?? (torchrun ? g('ntasks_per_node') : unknownField('without a torchrun launcher, Lightning starts one process per device itself'));
        break;
      case 'SlurmExecutor':
        nodes = g('nodes');
        perNode = launcherUnknown ?? (torchrun ? firstSet(g('torchrun_nproc_per_node'), g('ntasks_per_node')) : g('ntasks_per_node'));
        break;
      case 'SkypilotExecutor':
        nodes = g('num_nodes');
        perNode = firstSet(g('torchrun_nproc_per_node'), g('gpus_per_node')) ?? knownField(1, executor.prov);
        break;
      case 'DGXCloudExecutor':
      case 'LeptonExecutor':
        nodes = g('nodes');
        perNode = firstSet(g('gpus_per_node'), g('nprocs_per_node')) ?? knownField(1, executor.prov);
        break;
      default:
        return { name: executor.cls, world: { nodes: unknownField(`${executor.cls} is not modelled`), gpusPerNode: unknownField(`${executor.cls} is not modelled`), size: unknownField(`${executor.cls} is not modelled`) } };
    }
    const processes = perNode ?? knownField(1, executor.prov);
    return { name: executor.cls, world: { nodes, gpusPerNode: processes, size: product(nodes, processes, 'executor nodes x processes per node') } };
  }

  /** The trainer's MegatronMixedPrecision plugin; an unknown value when the plugins are unknown. */
  private precisionPlugin(trainer: Value): ObjectValue | UnknownValue | undefined {
    const plugins = this.get(trainer, 'plugins');
    const items = plugins.kind === 'list' || plugins.kind === 'tuple' ? plugins.items : [plugins];
    const candidates = Array.isArray(items) ? items : [items];
    const plugin = candidates.find((p): p is ObjectValue => p.kind === 'object' && p.cls === 'MegatronMixedPrecision');
    return plugin ?? candidates.find((p): p is UnknownValue => p.kind === 'unknown');
  }

  private trainerPrecision(trainer: Value): Field<string> {
    const p = this.get(trainer, 'precision');
    if (p.kind === 'none') return knownField('32-true', p.prov);
    if (p.kind === 'int') return knownField(String(p.value), p.prov);
    return strField(p);
  }

  private optimizer(root: ObjectValue | undefined, strategy: Value, plugin: ObjectValue | UnknownValue | undefined): Plan['optimizer'] {
    let distributed: Field<boolean>;
    const optim = root ? this.get(root, 'optim') : undefined;
    if (!root) distributed = unknownField('the trainer is not part of a job with an optimizer');
    else if (optim?.kind === 'none' || (optim?.kind === 'unknown' && !root.attrs.has('optim'))) {
      // llm.pretrain(optim=None): the model's own default, MegatronOptimizerModule with the
      // distributed optimizer (nemo/collections/llm/gpt/model/base.py, GPTModel.__init__).
      distributed = knownField(true, { source: 'class-default', range: root.prov.range, detail: "the model's default optimizer (distributed Adam, nemo/collections/llm/gpt/model/base.py)" });
    } else if (optim?.kind === 'object' && optim.cls === 'MegatronOptimizerModule') distributed = boolField(this.get(optim, 'config.use_distributed_optimizer'));
    else if (optim?.kind === 'object') distributed = knownField(false, optim.prov);
    else distributed = unknownField(optim?.kind === 'unknown' ? optim.reason : 'the optimizer is not modelled');

    let gradReduceInFp32: Field<boolean>;
    if (plugin) gradReduceInFp32 = boolField(this.get(plugin, 'grad_reduce_in_fp32'));
    else {
      const ddp = strategy.kind === 'object' ? this.get(strategy, 'ddp') : undefined;
      gradReduceInFp32 = ddp?.kind === 'object' ? boolField(this.get(ddp, 'grad_reduce_in_fp32')) : knownField(false, { source: 'class-default', range: null, detail: 'DistributedDataParallelConfig default (grad_reduce_in_fp32=False)' });
    }
    return { distributed, gradReduceInFp32 };
  }

  private model(config: Value | undefined, root: ObjectValue): ModelArchitecture {
    const none = 'the job has no model config';
    const isConfig = config?.kind === 'object' && isModelConfigClass(config.cls);
    const why = !config ? none : config.kind === 'unknown' ? config.reason : isConfig ? '' : `the model config ${config.kind === 'object' ? config.cls : ''} is not in the catalog`;
    const f = <T>(name: string, as: (v: Value) => Field<T>): Field<T> => (isConfig ? as(this.get(config, name)) : unknownField(why));
    const hidden = f('hidden_size', intField);
    const heads = f('num_attention_heads', intField);
    const ffnRaw = f('ffn_hidden_size', intField);
    const groupsRaw = f('num_query_groups', intField);
    const kvRaw = f('kv_channels', intField);
    const experts = f('num_moe_experts', intField);
    const isMoe = experts.value !== null && experts.value > 0;
    const orDerived = (raw: Field<number>, inputs: Field<unknown>[], detail: string, compute: () => number | null): Field<number> =>
      raw.unknown === undefined && raw.value === null ? derivedField(inputs, detail, compute) : raw;
    const ffn = orDerived(ffnRaw, [hidden], '4 x hidden_size (TransformerConfig default)', () => 4 * hidden.value!);
    const moeFfnRaw = isMoe ? f('moe_ffn_hidden_size', intField) : knownField<number>(null, null);
    const configClass = config?.kind === 'object' ? config.cls : undefined;
    // Bridge providers are described by the catalog entry of the NeMo config of the same model.
    const catalogClass = configClass && catalogConfigClass(configClass);
    const arch: ModelArchitecture = {
      name:
        root.origin && configClass === recipeEntry(root.origin.recipe)?.configClass
          ? knownField(root.origin.recipe, root.prov)
          : configClass
            ? knownField(configClass, config!.kind === 'object' ? config!.prov : null)
            : unknownField(why),
      numLayers: f('num_layers', intField),
      hiddenSize: hidden,
      ffnHiddenSize: ffn,
      numAttentionHeads: heads,
      numQueryGroups: orDerived(groupsRaw, [heads], 'num_attention_heads (no grouped-query attention)', () => heads.value!),
      kvChannels: orDerived(kvRaw, [hidden, heads], 'hidden_size / num_attention_heads', () => (heads.value ? Math.floor(hidden.value! / heads.value) : null)),
      vocabSize: this.vocab(f('vocab_size', intField), catalogClass),
      makeVocabSizeDivisibleBy: f('make_vocab_size_divisible_by', intField),
      // Set by the job even when the architecture is not catalogued (Bridge providers of HF models).
      seqLength: config?.kind === 'object' && !isConfig ? intField(this.get(config, 'seq_length')) : f('seq_length', intField),
      tiedEmbeddings: f('share_embeddings_and_output_weights', boolField),
      gatedLinearUnit: f('gated_linear_unit', boolField),
      addBiasLinear: f('add_bias_linear', boolField),
      addQkvBias: f('add_qkv_bias', boolField),
      qkLayernorm: f('qk_layernorm', boolField),
      normalization: f('normalization', strField),
      positionEmbeddingType: f('position_embedding_type', strField),
      numMoeExperts: experts,
      moeRouterTopk: isMoe ? f('moe_router_topk', intField) : knownField<number>(null, null),
      moeFfnHiddenSize: isMoe ? orDerived(moeFfnRaw, [ffn], 'ffn_hidden_size (TransformerConfig default for MoE)', () => ffn.value) : moeFfnRaw,
      moeSharedExpertIntermediateSize: isMoe ? f('moe_shared_expert_intermediate_size', intField) : knownField<number>(null, null),
      moeLayerFreq: isMoe ? f('moe_layer_freq', intOrListField) : knownField<number | number[]>(null, null),
      moeRouterPreSoftmax: isMoe ? f('moe_router_pre_softmax', boolField) : knownField<boolean>(null, null),
      moeRouterScoreFunction: isMoe ? f('moe_router_score_function', strField) : knownField<string>(null, null),
      moeRouterLoadBalancingType: isMoe ? f('moe_router_load_balancing_type', strField) : knownField<string>(null, null),
      moeRouterNumGroups: isMoe ? f('moe_router_num_groups', intField) : knownField<number>(null, null),
      moeRouterGroupTopk: isMoe ? f('moe_router_group_topk', intField) : knownField<number>(null, null),
      multiLatentAttention: f('multi_latent_attention', boolField),
      qLoraRank: f('q_lora_rank', intField),
      kvLoraRank: f('kv_lora_rank', intField),
      qkHeadDim: f('qk_head_dim', intField),
      qkPosEmbHeadDim: f('qk_pos_emb_head_dim', intField),
      vHeadDim: f('v_head_dim', intField),
      mtpNumLayers: f('mtp_num_layers', intField),
      hybridOverridePattern: f('hybrid_override_pattern', strField),
      parameters: unknownField('not computed yet'),
    };
    arch.parameters = parameterCount(arch, catalogClass);
    return arch;
  }

  /** The config's vocab_size, or the tokenizer vocabulary the catalog records for the model. */
  private vocab(declared: Field<number>, configClass: string | undefined): Field<number> {
    if (declared.unknown !== undefined || declared.value !== null || !configClass) return declared;
    const count = own(nemoCatalog().modelConfigs, configClass)?.parameterCount;
    if (count?.vocabUsed) {
      const prov: Provenance = { source: 'class-default', range: null, detail: `the vocabulary of ${configClass}'s tokenizer (${count.vocabSource ?? 'NeMo'})` };
      return knownField(count.vocabUsed, prov);
    }
    return unknownField(`${configClass} takes its vocabulary size from the tokenizer at run time`);
  }
}

function product(a: Field<number>, b: Field<number>, detail: string): Field<number> {
  return derivedField([a, b], detail, () => (a.value === null || b.value === null ? null : a.value * b.value));
}

/** GPUs per node from a list of device indices, as many as it has; undefined when `v` is not a non-empty list. */
function deviceListField(v: Value): Field<number> | undefined {
  if (v.kind !== 'list' && v.kind !== 'tuple') return undefined;
  if (!Array.isArray(v.items)) return unknownField(v.items.reason);
  return v.items.length ? knownField(v.items.length, v.prov) : undefined;
}
