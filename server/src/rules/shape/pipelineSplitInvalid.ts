// pipelineSplitInvalid: see docs/rules/ for what it checks and why.
import { pos, type Layout } from '../layout';
import type { Rule, Violation } from '../rule';

/**
 * The checks Megatron-Core's TransformerConfig makes when the pipeline split is uneven
 * (num_layers_in_first/last_pipeline_stage) or accounts for the embedding and loss.
 */
export const pipelineSplitInvalid: Rule = {
  code: 'RL205',
  name: 'pipeline-split-invalid',
  severity: 'error',
  stage: 'init',
  summary: 'The uneven pipeline split (first/last stage layers, or accounting for embedding and loss) does not work out.',
  docs: {
    what: 'When `num_layers_in_first_pipeline_stage`, `num_layers_in_last_pipeline_stage`, `account_for_embedding_in_pipeline_split` or `account_for_loss_in_pipeline_split` are set, checks Megatron-Core\'s conditions: the two kinds of options are not combined; the first and last stages have at least one layer (a multiple of VP with the interleaved schedule); the middle layers divide over the middle stages (and over VP); with embedding and loss accounted, (layers + 1 + 1) divides over PP (and VP).',
    why: '`TransformerConfig.__post_init__` raises, for example, "number of middle layers: 30 must be divisible by middle pipeline_model_parallel_size 8".',
    example: 'llama31_405b fine-tuning: 126 layers + embedding + loss = 128 on PP 14',
    fix: 'Change PP (the message lists the values every rule accepts) or the first/last stage layer counts.',
    references: 'megatron/core/transformer/transformer_config.py (pipeline split checks); megatron/core/transformer/transformer_block.py `get_num_layers_to_build`.',
  },
  check(l: Layout) {
    if (l.hybrid || !pos(l.layers) || !pos(l.pp)) return undefined;
    const uneven = l.firstStage != null || l.lastStage != null;
    const account = l.accountEmbedding === true || l.accountLoss === true;
    if (l.firstStage === undefined || l.lastStage === undefined || l.accountEmbedding === undefined || l.accountLoss === undefined || l.vp === undefined) return undefined;
    const vp = typeof l.vp === 'number' ? l.vp : null;
    const fields: Violation['fields'] = ['pp', 'firstStage', 'lastStage', 'accountEmbedding', 'accountLoss', 'vp', 'layers'];
    const fixable: Violation['fixable'] = ['pp', 'firstStage', 'lastStage', 'accountEmbedding', 'accountLoss'];
    const bad = (message: string): Violation => ({ message, fields, fixable });
    if (uneven && account) return bad('num_layers_in_first/last_pipeline_stage cannot be combined with account_for_embedding/loss_in_pipeline_split');
    if (uneven) {
      for (const [name, n] of [['first', l.firstStage], ['last', l.lastStage]] as const) {
        if (n == null) continue;
        if (n <= 0) return bad(`num_layers_in_${name}_pipeline_stage must be larger than 0, not ${n}`);
        if (vp && n % vp !== 0) return bad(`num_layers_in_${name}_pipeline_stage ${n} is not divisible by the virtual pipeline size ${vp}`);
      }
      const middleLayers = l.layers - (l.firstStage ?? 0) - (l.lastStage ?? 0);
      const middleStages = l.pp - (l.firstStage != null ? 1 : 0) - (l.lastStage != null ? 1 : 0);
      // Megatron-Core's configuration accepts this, then builds only the last stage's layers on
      // the one stage there is: the model silently loses its other layers.
      if (middleStages < 0) return bad(`a first and a last pipeline stage need PP of at least 2, but PP is ${l.pp}: only ${l.lastStage ?? l.firstStage} of the ${l.layers} layers would be built`);
      if ((middleLayers === 0) !== (middleStages === 0) || middleLayers < 0) {
        return bad(`${middleLayers} layers remain for ${middleStages} middle pipeline stages (${l.layers} layers, PP ${l.pp}, first ${l.firstStage ?? '-'}, last ${l.lastStage ?? '-'})`);
      }
      if (middleStages > 0 && middleLayers % middleStages !== 0) return bad(`the ${middleLayers} middle layers are not divisible by the ${middleStages} middle pipeline stages`);
      if (middleStages > 0 && vp && (middleLayers / middleStages) % vp !== 0) return bad(`${middleLayers / middleStages} layers per middle stage are not divisible by the virtual pipeline size ${vp}`);
      return undefined;
    }
    if (account) {
      const total = l.layers + (l.accountEmbedding ? 1 : 0) + (l.accountLoss ? 1 : 0);
      const what = `${l.layers} layers${l.accountEmbedding ? ' + embedding' : ''}${l.accountLoss ? ' + loss' : ''} = ${total}`;
      if (total % l.pp !== 0) return bad(`${what} are not divisible by PP = ${l.pp}`);
      if (vp && (total / l.pp) % vp !== 0) return bad(`${what} over PP ${l.pp} gives ${total / l.pp} per stage, not divisible by the virtual pipeline size ${vp}`);
    }
    return undefined;
  },
};
