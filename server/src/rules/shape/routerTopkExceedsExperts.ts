// routerTopkExceedsExperts: see docs/rules/ for what it checks and why.
import { pos, type Layout } from '../layout';
import type { Rule } from '../rule';

export const routerTopkExceedsExperts: Rule = {
  code: 'RL209',
  name: 'router-topk-exceeds-experts',
  severity: 'error',
  stage: 'runtime',
  summary: 'moe_router_topk is larger than the experts a token can be routed to.',
  docs: {
    what: 'Checks that the router\'s top-k is at most the number of experts, or, with group-limited routing, at most the experts in the groups a token may use.',
    why: 'Nothing validates it up front: the job starts and crashes in `torch.topk` ("selected index k out of range") at the first MoE forward pass.',
    example: 'moe_router_topk=10 with 8 experts',
    fix: 'Lower moe_router_topk.',
    references: 'megatron/core/transformer/moe/router.py (no check in TransformerConfig, Megatron-LM arguments or Bridge).',
  },
  check(l: Layout) {
    if (!pos(l.experts) || !pos(l.topk)) return undefined;
    if (l.topk > l.experts) return { message: `moe_router_topk ${l.topk} is larger than the ${l.experts} experts`, fields: ['topk', 'experts'], fixable: ['topk'] };
    if (pos(l.routerGroups) && pos(l.routerGroupTopk) && l.experts % l.routerGroups === 0) {
      const reachable = (l.experts / l.routerGroups) * l.routerGroupTopk;
      if (l.topk > reachable) return { message: `moe_router_topk ${l.topk} is larger than the ${reachable} experts in the ${l.routerGroupTopk} groups a token may use`, fields: ['topk', 'routerGroupTopk', 'routerGroups', 'experts'], fixable: ['topk', 'routerGroupTopk'] };
    }
    return undefined;
  },
};
