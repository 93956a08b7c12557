// queryGroupsIncompatibleWithTp: see docs/rules/ for what it checks and why.
import { pos, type Layout } from '../layout';
import { atLeast, type Rule, type RuleSettings } from '../rule';

export const queryGroupsIncompatibleWithTp: Rule = {
  code: 'RL202',
  name: 'query-groups-incompatible-with-tp',
  severity: 'error',
  stage: 'init',
  summary: 'num_query_groups is neither a multiple nor (from Megatron-Core 0.16) a divisor of TP.',
  docs: {
    what: 'Checks the key/value head groups of grouped-query attention against TP: up to Megatron-Core 0.15 the groups must be a multiple of TP; from 0.16 they may also divide TP (key/value heads are then replicated).',
    why: '`TransformerConfig` raises "num_query_groups (g) must be a multiple [or divisor] of tensor_model_parallel_size".',
    example: 'Llama 3 has 8 query groups: TP 16 fails on every version, TP 4 and 8 work, and TP 3 fails.',
    fix: 'Use a TP that divides, or (0.16 and later) is divided by, the query groups.',
    references: 'megatron/core/transformer/transformer_config.py; the divisor case landed between core 0.15.0 and 0.16.0.',
  },
  check(l: Layout, s: RuleSettings) {
    // Without grouped-query attention the groups are the heads, which RL201 already checks.
    if (!pos(l.tp) || !pos(l.groups) || l.groups === l.heads) return undefined;
    const relaxed = atLeast(s, 0, 16);
    if (l.groups % l.tp === 0 || (relaxed && l.tp % l.groups === 0)) return undefined;
    return {
      message: relaxed
        ? `${l.groups} query groups are neither a multiple nor a divisor of TP = ${l.tp}`
        : `${l.groups} query groups are not a multiple of TP = ${l.tp} (Megatron-Core ${s.megatronCore.join('.')} does not replicate key/value heads)`,
      fields: ['tp', 'groups'],
      fixable: ['tp'],
    };
  },
};
