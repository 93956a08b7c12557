// layersNotDivisibleByPipeline: see docs/rules/ for what it checks and why.
import { pos, type Layout } from '../layout';
import type { Rule } from '../rule';

export const layersNotDivisibleByPipeline: Rule = {
  code: 'RL206',
  name: 'layers-not-divisible-by-pipeline',
  severity: 'error',
  stage: 'build',
  summary: 'num_layers is not a multiple of PP, or the layers per stage not a multiple of VP.',
  docs: {
    what: 'With an even pipeline split, checks that the layers divide over the pipeline stages, and with the interleaved schedule that the layers of each stage divide over the virtual stages.',
    why: 'Megatron-Core asserts "num_layers=L should be divisible by pipeline_model_parallel_size=PP" or "num_layers_per_pipeline_rank N should be divisible by vp_size VP" while building the model; NeMo asserts "Make sure the number of model chunks is the same across all pipeline stages".',
    example: '42 layers with pipeline_model_parallel_size=5',
    fix: 'Use a PP (and VP) that divides the layers, or an uneven split with `num_layers_in_first/last_pipeline_stage`.',
    references: 'megatron/core/transformer/transformer_block.py `get_num_layers_to_build`; NeMo `GPTConfig.configure_model`.',
  },
  check(l: Layout) {
    if (l.hybrid || !pos(l.layers) || !pos(l.pp) || l.pp === 1) return undefined;
    if (l.firstStage !== null || l.lastStage !== null || l.accountEmbedding !== false || l.accountLoss !== false) return undefined;
    if (l.layers % l.pp !== 0) return { message: `${l.layers} layers are not divisible by PP = ${l.pp}`, fields: ['pp', 'layers'], fixable: ['pp'] };
    const perStage = l.layers / l.pp;
    if (pos(l.vp) && perStage % l.vp !== 0) {
      return { message: `${perStage} layers per pipeline stage (${l.layers} / PP ${l.pp}) are not divisible by the virtual pipeline size ${l.vp}`, fields: ['vp', 'pp', 'layers'], fixable: ['vp', 'pp'] };
    }
    return undefined;
  },
};
