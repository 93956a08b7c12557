// worldSizeNotDivisible: see docs/rules/ for what it checks and why.
import { exactProduct, pos, worldOf, type Layout, type LayoutKey } from '../layout';
import type { Rule, Violation } from '../rule';

export const worldSizeNotDivisible: Rule = {
  code: 'RL101',
  name: 'world-size-not-divisible',
  severity: 'error',
  stage: 'init',
  summary: 'The world size (nodes x GPUs per node) is not a multiple of TP x PP x CP.',
  docs: {
    what: 'Checks that the number of GPUs, `num_nodes x devices`, is a multiple of `tensor_model_parallel_size x pipeline_model_parallel_size x context_parallel_size`.',
    why: 'Megatron-Core splits the GPUs into tensor, pipeline and context groups and gives what is left to data parallelism. When the product does not divide the world, `initialize_model_parallel` stops the job before the first step with "world_size (W) is not divisible by X", after it has waited in the queue.',
    example: 'recipe = llm.llama3_70b.finetune_recipe(num_nodes=3, peft_scheme=None)  # TP 8 x PP 4 = 32 on 24 GPUs',
    fix: 'Change a parallel degree to one that divides the world (the message lists the values every rule accepts), or change the node count (the message gives the nearest one that works).',
    references: 'megatron/core/parallel_state.py `initialize_model_parallel`; NeMo `nemo/collections/llm/api.py::_validate_config` and `nemo/lightning/megatron_init.py`. All versions.',
  },
  check(l: Layout) {
    const w = worldOf(l);
    if (w === undefined || !pos(l.tp) || !pos(l.pp) || !pos(l.cp)) return undefined;
    const mp = exactProduct(l.tp, l.pp, l.cp);
    if (mp === undefined || w % mp === 0) return undefined;
    return new NotDivisible(l, w, mp);
  },
};

const SPLIT_FIELDS: readonly LayoutKey[] = ['nodes', 'tp', 'pp', 'cp', 'gpusPerNode'];
const WORLD_FIELDS: readonly LayoutKey[] = ['world', 'tp', 'pp', 'cp'];
const FIXABLE: readonly LayoutKey[] = ['tp', 'pp', 'cp', 'nodes'];

/**
 * The violation, its message written when read: a search checks thousands of layouts, most of
 * the degrees and node counts it tries fail this rule, and only the user's own layout is reported.
 */
class NotDivisible implements Violation {
  readonly fields: readonly LayoutKey[];
  readonly fixable = FIXABLE;

  constructor(
    private readonly l: Layout,
    private readonly world: number,
    private readonly product: number,
  ) {
    this.fields = pos(l.nodes) && pos(l.gpusPerNode) ? SPLIT_FIELDS : WORLD_FIELDS;
  }

  get message(): string {
    const { l, world: w, product: mp } = this;
    const world = this.fields === SPLIT_FIELDS ? `world size ${w} (${l.nodes} node${l.nodes === 1 ? '' : 's'} x ${l.gpusPerNode} GPUs)` : `world size ${w}`;
    const product = `TP x PP x CP = ${l.tp} x ${l.pp} x ${l.cp} = ${mp}`;
    return mp > w ? `${product} needs more GPUs than the ${world}` : `${world} is not divisible by ${product}`;
  }
}
