// sequenceParallelWithoutTp: see docs/rules/ for what it checks and why.
import { nemoValidated, type Layout } from '../layout';
import type { Rule } from '../rule';

export const sequenceParallelWithoutTp: Rule = {
  code: 'RL215',
  name: 'sequence-parallel-without-tp',
  severity: 'error',
  stage: 'init',
  summary: 'sequence_parallel is on with tensor_model_parallel_size 1.',
  docs: {
    what: 'Checks that sequence parallelism is only turned on with tensor parallelism (TP > 1).',
    why: 'Sequence parallelism splits activations over the TP ranks; with TP 1 there is nothing to split. Megatron-Core\'s `ModelParallelConfig` raises "Cannot use sequence parallelism without tensor parallelism" for `llm.train` and hand-built trainers; NeMo\'s `llm.pretrain` and `llm.finetune` turn it off with a warning instead (reported here as a warning, since the setting does nothing); Megatron-LM and Megatron-Bridge 0.4 and later drop it silently (a warning here too); Megatron-Bridge 0.3 and earlier let Megatron-Core raise.',
    example: 'recipe.trainer.strategy.tensor_model_parallel_size = 1  # the recipe keeps sequence_parallel=True',
    fix: 'Set sequence_parallel to False, or use TP above 1.',
    references: 'megatron/core/model_parallel_config.py `ModelParallelConfig.__post_init__`; NeMo `_validate_config`; Megatron-LM `validate_args`; Bridge `TransformerConfig.finalize`.',
  },
  check(l: Layout) {
    if (l.sp !== true || l.tp !== 1) return undefined;
    if (nemoValidated(l)) {
      return { message: `sequence_parallel is on with TP = 1; llm.${l.entry} turns it off with a warning, so it does nothing`, fields: ['sp', 'tp'], fixable: ['sp', 'tp'], severity: 'warning' };
    }
    // Megatron-Bridge 0.4 and later turn it off in TransformerConfig.finalize; 0.3 and earlier
    // (recipe eras A and B) let Megatron-Core raise. Era C spans both, so only a warning is proven.
    if (l.entry === 'bridge' && l.bridgeEra !== 'A' && l.bridgeEra !== 'B') {
      return { message: 'sequence_parallel is on with TP = 1; Megatron-Bridge 0.4 and later turn it off (0.3 and earlier refuse it), so it does nothing', fields: ['sp', 'tp'], fixable: ['sp', 'tp'], severity: 'warning' };
    }
    return { message: 'sequence_parallel is on with TP = 1: Megatron-Core refuses sequence parallelism without tensor parallelism', fields: ['sp', 'tp'], fixable: ['sp', 'tp'] };
  },
};
