// Megatron-Bridge's configuration dataclasses, for scripts that build a ConfigContainer
// themselves (`ConfigContainer(model=..., train=TrainingConfig(...), dataset=GPTDatasetConfig(...))`)
// or replace one part of a recipe's (`cfg.dataset = GPTDatasetConfig(seq_length=2048)`). All are
// keyword-only dataclasses; a field left out keeps the dataclass default, which the constructor
// stores on the object so that later writes (`cfg.ddp.use_distributed_optimizer = True`) land on it.
import { fromLiteral } from '../tree';
import type { ClassModel, Literal } from '../library';
import { bindFields, newObject } from '../objects';
import type { NativeCall } from '../values';

const BRIDGE = 'NVIDIA-NeMo/Megatron-Bridge src/megatron/bridge/training/config.py';
const MCORE_DDP = 'Megatron-Core megatron/core/distributed/distributed_data_parallel_config.py';

/** Fields the plan reads, with the dataclass defaults (an object default is a tree with `_target_`). */
const DATACLASSES: Record<string, { defaults: Record<string, unknown>; source: string }> = {
  ConfigContainer: {
    defaults: {
      ddp: { _target_: 'DistributedDataParallelConfig', use_distributed_optimizer: false, grad_reduce_in_fp32: false },
      mixed_precision: null,
      peft: null,
    },
    source: BRIDGE,
  },
  TrainingConfig: { defaults: { global_batch_size: null, micro_batch_size: null }, source: BRIDGE },
  DistributedDataParallelConfig: { defaults: { use_distributed_optimizer: false, grad_reduce_in_fp32: false }, source: MCORE_DDP },
  // Megatron-Core's GPTDatasetConfig names it sequence_length; Bridge's subclass adds seq_length.
  GPTDatasetConfig: { defaults: {}, source: BRIDGE },
  FinetuningDatasetConfig: { defaults: { seq_length: 2048 }, source: BRIDGE },
};

/** Builds the object with every default stored, then the arguments on top. */
function constructWithDefaults(name: string, model: ClassModel, defaults: Record<string, unknown>): NativeCall {
  return (ctx, call) => {
    const obj = newObject(ctx.state, name, 'eager', call);
    for (const [k, v] of Object.entries(defaults)) obj.attrs.set(k, fromLiteral(ctx.state, v, { source: 'class-default', range: call.range, detail: `${name} default for ${k} (${model.source})` }));
    bindFields(obj, model, [], call);
    return obj;
  };
}

let classes: Map<string, ClassModel> | undefined;

export function bridgeConfigClass(name: string): ClassModel | undefined {
  if (!classes) {
    classes = new Map();
    for (const [cls, { defaults, source }] of Object.entries(DATACLASSES)) {
      const flat: Record<string, Literal> = Object.fromEntries(Object.entries(defaults).filter(([, v]) => typeof v !== 'object' || v === null)) as Record<string, Literal>;
      const model: ClassModel = { name: cls, params: [], defaults: flat, source };
      model.construct = constructWithDefaults(cls, model, defaults);
      classes.set(cls, model);
    }
  }
  return classes.get(name);
}
