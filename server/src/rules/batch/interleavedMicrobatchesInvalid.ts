// interleavedMicrobatchesInvalid: see docs/rules/ for what it checks and why.
import { dpOf, exactProduct, pos, type Layout } from '../layout';
import { atLeast, type Rule, type RuleSettings } from '../rule';

export const interleavedMicrobatchesInvalid: Rule = {
  code: 'RL302',
  name: 'interleaved-microbatches-invalid',
  severity: 'error',
  stage: 'runtime',
  summary: 'With the interleaved schedule, the micro-batches per step do not fit the pipeline.',
  docs: {
    what: 'With virtual pipeline stages (VP) and PP above 1, checks the number of micro-batches per step, M = global / (micro x DP), against the micro-batch group size N (`microbatch_group_size_per_vp_stage`, PP by default): PP <= N <= M, and M is a multiple of N or leaves a remainder of at least PP. With the default this means M >= PP and M a multiple of PP. Megatron-Core 0.9 and older required M to be a multiple of PP.',
    why: 'The interleaved schedule sends micro-batches through the virtual stages in groups; the configuration passes every start-up check and the job fails at its first step ("The number of contiguous micro-batches in a virtual pipeline stage should range in [PP, M]").',
    example: 'global_batch_size=9 with PP 4, VP 2, micro batch 1, DP 1',
    fix: 'Use a global batch that gives a whole multiple of PP micro-batches, or drop the virtual stages.',
    references: 'megatron/core/pipeline_parallel/schedules.py `forward_backward_pipelining_with_interleaving`.',
  },
  check(l: Layout, s: RuleSettings) {
    if (!pos(l.vp) || !pos(l.pp) || l.pp === 1) return undefined;
    const dp = dpOf(l);
    if (dp === undefined || !pos(l.gbs) || !pos(l.mbs) || exactProduct(l.mbs, dp) === undefined || l.gbs % (l.mbs * dp) !== 0) return undefined;
    const m = l.gbs / (l.mbs * dp);
    const fields: ('gbs' | 'mbs' | 'pp' | 'vp' | 'vpGroup')[] = ['gbs', 'vpGroup', 'pp', 'vp', 'mbs'];
    if (!atLeast(s, 0, 10)) {
      return m % l.pp === 0 ? undefined : { message: `${m} micro-batches per step are not divisible by PP = ${l.pp} (interleaved schedule)`, fields, fixable: ['gbs'] };
    }
    if (l.vpGroup === undefined) return undefined;
    const n = l.vpGroup ?? l.pp;
    const detail = `${m} micro-batches per step (global ${l.gbs} / (micro ${l.mbs} x DP ${dp}))`;
    const fixable: ('gbs' | 'vpGroup')[] = l.vpGroup === null ? ['gbs'] : ['vpGroup', 'gbs'];
    if (n < l.pp || n > m) return { message: `${detail} with micro-batch groups of ${n}: the interleaved schedule needs PP ${l.pp} <= ${n} <= ${m}`, fields, fixable };
    const rest = m % n;
    if (rest !== 0 && rest < l.pp) return { message: `${detail} leave a remainder of ${rest} after groups of ${n}; the interleaved schedule needs 0 or at least PP ${l.pp}`, fields, fixable };
    return undefined;
  },
};
