// NeMo-Run and NeMo's user-facing functions: `run.Config` / `run.Partial`, launching with
// `run.run` or an Experiment, `run.cli`, `llm.pretrain` / `finetune` / `train`, and the recipe
// helpers for precision, optimizer and local executors.
import { nemoCatalog } from '../../catalog/nemoRecipes';
import { native } from '../builtins';
import { fromLiteral } from '../tree';
import type { ClassModel } from '../library';
import { bindFields, newObject } from '../objects';
import { describe, unknown, type CallArgs, type NativeCall, type ObjectValue, type Provenance, type Value } from '../values';
import { nemoClass } from './classes';
import { BRIDGE_ENTRY_PARAMS, BRIDGE_PARTIAL } from '../bridge/recipes';
import { own } from '../../catalog/own';

/** The training entry points; a job is a call to, or a Partial of, one of them. */
export const JOB_FUNCTIONS = ['pretrain', 'finetune', 'train'] as const;

const JOB_PARAMS: Record<string, string[]> = {
  pretrain: ['model', 'data', 'trainer', 'log', 'resume', 'optim', 'tokenizer', 'model_transform'],
  finetune: ['model', 'data', 'trainer', 'log', 'resume', 'optim', 'peft', 'tokenizer'],
  train: ['model', 'data', 'trainer', 'log', 'resume', 'optim', 'tokenizer', 'model_transform'],
};

/** `llm.pretrain` / `finetune` / `train` as classes of job objects (nemo/collections/llm/api.py). */
function jobModel(name: string): ClassModel {
  return { name, params: JOB_PARAMS[name]!, defaults: { log: null, resume: null, optim: null, peft: null, tokenizer: null }, source: 'NVIDIA/NeMo nemo/collections/llm/api.py' };
}

/** What `run.Config(x, ...)` or `run.Partial(x, ...)` wraps: a class, or a job function. */
function targetName(v: Value): { name: string; model?: ClassModel } | undefined {
  if (v.kind === 'class') return { name: v.name, model: nemoClass(v.name) };
  if (v.kind === 'native' && v.name.startsWith('llm.') && (JOB_FUNCTIONS as readonly string[]).includes(v.name.slice(4))) {
    const name = v.name.slice(4);
    return { name, model: jobModel(name) };
  }
  // Megatron-Bridge's pretrain / finetune: the Partial holds the ConfigContainer as `config`.
  if (v.kind === 'native' && v.name.startsWith(`${BRIDGE_PARTIAL}.`)) return { name: BRIDGE_PARTIAL, model: { name: BRIDGE_PARTIAL, params: BRIDGE_ENTRY_PARAMS, defaults: {}, source: 'NVIDIA-NeMo/Megatron-Bridge src/megatron/bridge/training/pretrain.py' } };
  return undefined;
}

function wrap(form: 'config' | 'partial'): NativeCall {
  return (ctx, call) => {
    const [target, ...rest] = call.args;
    if (!target) return unknown(`run.${form === 'config' ? 'Config' : 'Partial'}() without a target`, call.range);
    const t = targetName(target);
    const obj = newObject(ctx.state, t?.name ?? describe(target), form, call);
    bindFields(obj, t?.model, rest, call);
    return obj;
  };
}

/** An eager call to `llm.pretrain(...)` and friends: the job runs in this process. */
function jobFunction(name: string): NativeCall {
  return (ctx, call) => {
    const obj = newObject(ctx.state, name, 'eager', call, `llm.${name}(...)`);
    bindFields(obj, jobModel(name), call.args, call);
    ctx.state.launch({ task: obj, executor: undefined, range: call.range, how: `llm.${name}()` });
    return unknown(`the result of llm.${name}() is only known after training`, call.range);
  };
}

const runRun: NativeCall = (ctx, call) => {
  const task = call.args[0] ?? call.kwargs.get('fn_or_script');
  if (task) ctx.state.launch({ task, executor: call.kwargs.get('executor') ?? call.args[1], range: call.range, how: 'run.run()' });
  return unknown('the result of run.run()', call.range);
};

const experimentAdd: NativeCall = (ctx, call, self) => {
  const exp = self as ObjectValue;
  const tasks = call.args[0] ?? call.kwargs.get('task');
  const executor = call.kwargs.get('executor') ?? call.args[1] ?? exp.attrs.get('executor');
  const items = tasks && (tasks.kind === 'list' || tasks.kind === 'tuple') ? tasks.items : tasks ? [tasks] : [];
  for (const task of Array.isArray(items) ? items : [items]) ctx.state.launch({ task, executor: executor?.kind === 'none' ? undefined : executor, range: call.range, how: 'Experiment.add()' });
  return unknown('the job id returned by Experiment.add()', call.range);
};

const noValue: NativeCall = (_ctx, call) => unknown('returns nothing the analysis uses', call.range);

let experiment: ClassModel | undefined;

/** `run.Experiment`, built on first use: its signature comes from the NeMo catalog, parsed lazily. */
function experimentModel(): ClassModel {
  experiment ??= { ...nemoClass('Experiment')!, methods: { add: experimentAdd, run: noValue, dryrun: noValue, __enter__: noValue, status: noValue, logs: noValue } };
  return experiment;
}

/**
 * The evaluations in which run.cli.main() is running. A script runs it once; a call made while it
 * runs (tree-sitter nests it in the executor factory when that `def` lacks its colon) would
 * launch the job again at every level of the recursion.
 */
const cliMainRunning = new WeakSet<object>();

/** `run.cli.main(llm.pretrain, default_factory=f, default_executor=e)`: runs f() and launches it. */
const cliMain: NativeCall = (ctx, call) => {
  const factory = call.kwargs.get('default_factory');
  const executorFactory = call.kwargs.get('default_executor');
  if (!factory || factory.kind === 'none') return unknown('run.cli.main() builds its task from the command line', call.range);
  if (cliMainRunning.has(ctx.state)) return unknown('run.cli.main() is called again while it runs', call.range);
  cliMainRunning.add(ctx.state);
  try {
    const task = ctx.callValue(factory, { args: [], kwargs: new Map(), range: call.range });
    const executor = executorFactory && executorFactory.kind !== 'none' ? ctx.callValue(executorFactory, { args: [], kwargs: new Map(), range: call.range }) : undefined;
    ctx.state.launch({ task, executor, range: call.range, how: 'run.cli.main()' });
  } finally {
    cliMainRunning.delete(ctx.state);
  }
  return unknown('run.cli.main() returns after the run', call.range);
};

/** `@run.cli.factory` and `@run.cli.factory(target=..., name=...)` register a function unchanged. */
const cliFactory: NativeCall = (_ctx, call) => {
  const fn = call.args[0];
  if (fn && (fn.kind === 'function' || fn.kind === 'partial')) return fn;
  return native('run.cli.factory(...)', (_c, inner) => inner.args[0] ?? unknown('decorator without a function', inner.range));
};

function helperProv(call: CallArgs, name: string, file: string): Provenance {
  return { source: 'recipe-default', range: call.range, detail: `set by ${name}() (${file})` };
}

/** Precision helpers such as `bf16_mixed()`: a `run.Config(MegatronMixedPrecision, ...)`. */
function precisionHelper(name: string, fields: Record<string, unknown>): NativeCall {
  return (ctx, call) => {
    const obj = fromLiteral(ctx.state, { ...fields, _target_: 'MegatronMixedPrecision' }, helperProv(call, name, 'nemo/collections/llm/recipes/precision/mixed_precision.py')) as ObjectValue;
    for (const [k, v] of call.kwargs) obj.attrs.set(k, v);
    return obj;
  };
}

/**
 * `distributed_fused_adam_with_cosine_annealing(...)`: Adam with the distributed optimizer on
 * (nemo/collections/llm/recipes/optim/adam.py).
 */
const distributedAdam: NativeCall = (ctx, call) => {
  const prov = helperProv(call, 'distributed_fused_adam_with_cosine_annealing', 'nemo/collections/llm/recipes/optim/adam.py');
  const precision = call.kwargs.get('precision') ?? call.args[0];
  const isFp16 = precision?.kind === 'str' && precision.value === '16-mixed';
  return fromLiteral(
    ctx.state,
    { _target_: 'MegatronOptimizerModule', config: { _target_: 'OptimizerConfig', optimizer: 'adam', use_distributed_optimizer: true, bf16: !isFp16, fp16: isFp16, weight_decay: 0.1, adam_eps: 1e-5 } },
    prov,
  );
};

/** `nemo.collections.llm.recipes.run.executor.torchrun(devices=...)`: a torchrun LocalExecutor. */
const torchrunExecutor: NativeCall = (ctx, call) => {
  const devices = call.args[0] ?? call.kwargs.get('devices');
  const obj = newObject(ctx.state, 'LocalExecutor', 'eager', call, 'torchrun() local executor');
  obj.attrs.set('ntasks_per_node', devices && devices.kind !== 'none' ? devices : unknown('torchrun() uses the GPU count of the machine it runs on', call.range));
  obj.attrs.set('launcher', { kind: 'str', value: 'torchrun', prov: helperProv(call, 'torchrun', 'nemo/collections/llm/recipes/run/executor.py') });
  return obj;
};

export function apiValue(path: string): Value | undefined {
  switch (path) {
    case 'nemo_run.Config':
      return native('run.Config', wrap('config'));
    case 'nemo_run.Partial':
      return native('run.Partial', wrap('partial'));
    case 'nemo_run.run':
      return native('run.run', runRun);
    case 'nemo_run.cli.main':
      return native('run.cli.main', cliMain);
    case 'nemo_run.cli.factory':
    case 'nemo_run.autoconvert':
      return native(path, cliFactory);
    case 'nemo_run.Experiment':
      return { kind: 'class', name: 'Experiment', prov: { source: 'literal', range: null, detail: 'run.Experiment' } };
    default:
      break;
  }
  const job = /^nemo\.collections\.llm(?:\.api)?\.(pretrain|finetune|train)$/.exec(path);
  if (job) return native(`llm.${job[1]}`, jobFunction(job[1]!));
  const last = path.slice(path.lastIndexOf('.') + 1);
  if (path.startsWith('nemo.')) {
    const helper = own(nemoCatalog().precisionHelpers, last);
    if (helper) return native(last, precisionHelper(last, helper));
    if (last === 'distributed_fused_adam_with_cosine_annealing') return native(last, distributedAdam);
    if (path === 'nemo.collections.llm.recipes.run.executor.torchrun') return native('torchrun', torchrunExecutor);
  }
  return undefined;
}

export function apiClass(name: string): ClassModel | undefined {
  if (name === 'Experiment') return experimentModel();
  if (name in JOB_PARAMS) return jobModel(name);
  return undefined;
}

