// expertGridNotDivisible: see docs/rules/ for what it checks and why.
import { dpOf, etpOf, exactProduct, pos, worldOf, type Layout } from '../layout';
import { atLeast, type Rule, type RuleSettings } from '../rule';

export const expertGridNotDivisible: Rule = {
  code: 'RL102',
  name: 'expert-grid-not-divisible',
  severity: 'error',
  stage: 'init',
  summary: 'The world size is not a multiple of ETP x EP x PP (the expert-parallel grid).',
  docs: {
    what: 'For mixture-of-experts layouts, checks that the world size is a multiple of `expert_tensor_parallel_size x expert_model_parallel_size x pipeline_model_parallel_size` (ETP defaults to TP). Before Megatron-Core 0.10 the rule was instead that the data-parallel size is a multiple of EP.',
    why: 'Expert layers are laid out on their own grid of ETP x EP x PP ranks, replicated over the expert data-parallel dimension. If that grid does not tile the world, `initialize_model_parallel` raises "world_size ... is not divisible by expert_tensor_model_pipeline_parallel size".',
    example: 'recipe.trainer.strategy.expert_model_parallel_size = 16  # 8 GPUs, ETP 1 x EP 16 x PP 1 = 16',
    fix: 'Choose EP (or ETP) so that ETP x EP x PP divides the world; the message lists the values that every rule accepts, or the node count that works.',
    references: 'megatron/core/parallel_state.py `initialize_model_parallel` (expert grid since core 0.10; "DP mod EP" in core 0.8 and 0.9); NeMo `fake_initialize_model_parallel`.',
  },
  check(l: Layout, s: RuleSettings) {
    const w = worldOf(l);
    const etp = etpOf(l);
    if (w === undefined || !pos(l.ep) || !pos(l.pp) || etp === undefined || !pos(etp)) return undefined;
    // With no expert parallelism the grid is TP x PP, which RL101 already covers.
    if (l.ep === 1 && etp === l.tp) return undefined;
    if (!atLeast(s, 0, 10)) {
      const dp = dpOf(l);
      if (dp === undefined || dp % l.ep === 0) return undefined;
      return { message: `the data-parallel size ${dp} is not divisible by EP = ${l.ep} (Megatron-Core before 0.10)`, fields: ['ep', 'nodes', 'tp', 'pp', 'cp'], fixable: ['ep', 'nodes'] };
    }
    const grid = exactProduct(etp, l.ep, l.pp);
    if (grid === undefined || w % grid === 0) return undefined;
    const etpText = l.etp === null ? `ETP (= TP) ${etp}` : `ETP ${etp}`;
    return {
      message: `world size ${w} is not divisible by the expert grid ${etpText} x EP ${l.ep} x PP ${l.pp} = ${grid}`,
      fields: ['ep', 'etp', 'nodes', 'pp', 'tp'],
      // When ETP follows TP, changing TP changes the grid too.
      fixable: l.etp === null ? ['ep', 'tp', 'etp', 'nodes'] : ['ep', 'etp', 'nodes'],
    };
  },
};
