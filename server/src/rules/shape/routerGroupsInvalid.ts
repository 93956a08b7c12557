// routerGroupsInvalid: see docs/rules/ for what it checks and why.
import { pos, type Layout } from '../layout';
import type { Rule } from '../rule';

export const routerGroupsInvalid: Rule = {
  code: 'RL211',
  name: 'router-groups-invalid',
  severity: 'error',
  stage: 'init',
  summary: 'Group-limited routing: the experts do not divide into the groups, or more groups are chosen than exist.',
  docs: {
    what: 'With group-limited routing (`moe_router_group_topk`), checks that `moe_router_num_groups` is set, divides the experts, and is at least the number of groups chosen.',
    why: '`TransformerConfig` raises "num_moe_experts (E) should be divisible by moe_router_num_groups (G)" or "moe_router_group_topk (k) should be smaller than moe_router_num_groups (G)".',
    example: 'DeepSeek-V3 style routing with 256 experts and moe_router_num_groups=7',
    fix: 'Use a group count that divides the experts and is at least moe_router_group_topk.',
    references: 'megatron/core/transformer/transformer_config.py (group-limited routing).',
  },
  check(l: Layout) {
    if (!pos(l.experts) || !pos(l.routerGroupTopk)) return undefined;
    const fields: ('routerGroups' | 'routerGroupTopk' | 'experts')[] = ['routerGroups', 'routerGroupTopk', 'experts'];
    if (!pos(l.routerGroups)) return l.routerGroups === null ? { message: 'moe_router_group_topk is set without moe_router_num_groups', fields: ['routerGroupTopk', 'experts'], fixable: ['routerGroups'] } : undefined;
    if (l.experts % l.routerGroups !== 0) return { message: `${l.experts} experts are not divisible by moe_router_num_groups ${l.routerGroups}`, fields, fixable: ['routerGroups'] };
    if (l.routerGroupTopk > l.routerGroups) return { message: `moe_router_group_topk ${l.routerGroupTopk} is larger than moe_router_num_groups ${l.routerGroups}`, fields, fixable: ['routerGroups', 'routerGroupTopk'] };
    return undefined;
  },
};
