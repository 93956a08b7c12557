// topkOneNeedsPreSoftmax: see docs/rules/ for what it checks and why.
import { pos, type Layout } from '../layout';
import type { Rule } from '../rule';

export const topkOneNeedsPreSoftmax: Rule = {
  code: 'RL210',
  name: 'topk-one-needs-pre-softmax',
  severity: 'error',
  stage: 'init',
  summary: 'Top-1 routing with a softmax score needs moe_router_pre_softmax.',
  docs: {
    what: 'With `moe_router_topk=1` and the softmax score function, checks that `moe_router_pre_softmax` is on (unless the Sinkhorn load balancer is used).',
    why: 'A softmax over a single selected expert is always 1, so the router would learn nothing; `TransformerConfig` raises "Please use --moe-router-pre-softmax when topk is 1."',
    example: 'run.Config(llm.GPTConfig, num_moe_experts=16, moe_router_topk=1)',
    fix: 'Set `moe_router_pre_softmax=True`, or use another score function.',
    references: 'megatron/core/transformer/transformer_config.py (MoE router checks).',
  },
  check(l: Layout) {
    if (!pos(l.experts) || l.topk !== 1 || l.scoreFunction !== 'softmax' || l.preSoftmax !== false || l.lbType === 'sinkhorn' || l.lbType === undefined) return undefined;
    return { message: 'moe_router_topk is 1 with the softmax score function but moe_router_pre_softmax is off', fields: ['topk', 'preSoftmax', 'scoreFunction'], fixable: ['preSoftmax'] };
  },
};
