// expertTensorParallelWithoutSequenceParallel: see docs/rules/ for what it checks and why.
import { pos, type Layout } from '../layout';
import { atLeast, type Rule, type RuleSettings } from '../rule';

export const expertTensorParallelWithoutSequenceParallel: Rule = {
  code: 'RL216',
  name: 'expert-and-tensor-parallel-without-sequence-parallel',
  severity: 'warning',
  stage: 'init',
  summary: 'Expert parallelism together with tensor parallelism, without sequence parallelism.',
  docs: {
    what: 'With EP above 1 and TP above 1, checks that sequence parallelism is on.',
    why: 'Megatron-Core 0.14 and older raise "When using expert parallelism and tensor parallelism, sequence parallelism must be used"; from 0.15 it is a warning, since the token dispatcher then gathers full sequences on every TP rank.',
    example: 'mixtral with TP 2, EP 8 and sequence_parallel=False',
    fix: 'Set sequence_parallel to True.',
    references: 'megatron/core/model_parallel_config.py; changed to a warning by Megatron-LM commit 0532e927 (core 0.15).',
  },
  check(l: Layout, s: RuleSettings) {
    if (!pos(l.ep) || l.ep === 1 || !pos(l.tp) || l.tp === 1 || l.sp !== false) return undefined;
    const error = !atLeast(s, 0, 15);
    return {
      message: `EP = ${l.ep} with TP = ${l.tp} needs sequence parallelism${error ? ` (an error in Megatron-Core ${s.megatronCore.join('.')})` : ''}`,
      fields: ['sp', 'ep', 'tp'],
      fixable: ['sp'],
      ...(error ? { severity: 'error' as const } : {}),
    };
  },
};
