// globalBatchNotDivisible: see docs/rules/ for what it checks and why.
import { dpOf, exactProduct, pos, type Layout } from '../layout';
import type { Rule } from '../rule';

export const globalBatchNotDivisible: Rule = {
  code: 'RL301',
  name: 'global-batch-not-divisible',
  severity: 'error',
  stage: 'init',
  summary: 'The global batch is not a multiple of micro batch x data-parallel size.',
  docs: {
    what: 'Checks that `global_batch_size` is a multiple of `micro_batch_size x DP`, where DP = world / (TP x PP x CP).',
    why: 'Each step runs global / (micro x DP) micro-batches on every data-parallel rank. NeMo asserts "Global batch size must be divisible by the product of micro batch size and data parallel size", and Megatron-Core\'s micro-batch calculator "global batch size (G) is not divisible by micro batch size (M) times data parallel size (D)".',
    example: 'global_batch_size=96 on DP 64 with micro_batch_size=1',
    fix: 'Use the nearest multiple of micro batch x DP (the message gives both neighbours), or change the micro batch.',
    references: 'megatron/core/num_microbatches_calculator.py `ConstantNumMicroBatchesCalculator`; NeMo `_validate_config` and `MegatronDataSampler`.',
  },
  check(l: Layout) {
    const dp = dpOf(l);
    if (dp === undefined || !pos(l.gbs) || !pos(l.mbs)) return undefined;
    const q = exactProduct(l.mbs, dp);
    if (q === undefined || l.gbs % q === 0) return undefined;
    return { message: `global batch ${l.gbs} is not divisible by micro batch ${l.mbs} x DP ${dp} = ${q}`, fields: ['gbs', 'mbs', 'nodes', 'tp', 'pp', 'cp'], fixable: ['gbs', 'mbs'] };
  },
};
