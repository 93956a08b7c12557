// virtualPipelineWithoutPipeline: see docs/rules/ for what it checks and why.
import { nemoValidated, type Layout } from '../layout';
import type { Rule } from '../rule';

export const virtualPipelineWithoutPipeline: Rule = {
  code: 'RL103',
  name: 'virtual-pipeline-without-pipeline',
  severity: 'error',
  stage: 'init',
  summary: 'virtual_pipeline_model_parallel_size is set while pipeline_model_parallel_size is 1.',
  docs: {
    what: 'Checks that the interleaved (virtual) pipeline schedule is only configured when there is a pipeline to interleave (PP > 1).',
    why: 'Megatron-Core raises "pipeline-model-parallel size should be greater than 1 with interleaved schedule". NeMo\'s `llm.pretrain` and `llm.finetune` catch it first and silently drop the virtual stages with a warning (reported here as a warning); `llm.train` and hand-built trainers reach Megatron-Core\'s error.',
    example: 'recipe.trainer.strategy.pipeline_model_parallel_size = 1  # the recipe keeps VP 5',
    fix: 'Set `virtual_pipeline_model_parallel_size` to None, or use a pipeline size above 1.',
    references: 'megatron/core/parallel_state.py `initialize_model_parallel`; NeMo `nemo/collections/llm/api.py::_validate_config` (drops it with a warning). All versions.',
  },
  check(l: Layout) {
    if (typeof l.vp !== 'number' || l.pp !== 1) return undefined;
    const validated = nemoValidated(l);
    return {
      message: validated
        ? `virtual pipeline size ${l.vp} is set with PP = 1; llm.${l.entry} drops it with a warning, so it has no effect`
        : `virtual pipeline size ${l.vp} needs PP > 1, but PP is 1: Megatron-Core refuses the interleaved schedule`,
      fields: ['vp', 'pp'],
      fixable: ['vp', 'pp'],
      ...(validated ? { severity: 'warning' as const } : {}),
    };
  },
};
