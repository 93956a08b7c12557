// Every rule, in code order. Codes are stable: a retired rule keeps its code unused.
import { dataSequenceLongerThanModel } from './batch/dataSequenceLongerThanModel';
import { globalBatchNotDivisible } from './batch/globalBatchNotDivisible';
import { interleavedMicrobatchesInvalid } from './batch/interleavedMicrobatchesInvalid';
import { sequenceLengthMismatch } from './batch/sequenceLengthMismatch';
import { recipeCallFails } from './calls/recipeCallFails';
import type { Rule, RuleDoc } from './rule';
import { unusedSuppression } from './unusedSuppression';
import { MEMORY_RULES } from './memory/memoryRules';
import { unknownGpu } from './memory/unknownGpu';
import { attentionHeadsNotDivisible } from './shape/attentionHeadsNotDivisible';
import { expertFfnNotDivisible } from './shape/expertFfnNotDivisible';
import { expertParallelWithoutExperts } from './shape/expertParallelWithoutExperts';
import { expertsNotDivisibleByEp } from './shape/expertsNotDivisibleByEp';
import { expertTensorParallelWithoutSequenceParallel } from './shape/expertTensorParallelWithoutSequenceParallel';
import { ffnHiddenSizeNotDivisible } from './shape/ffnHiddenSizeNotDivisible';
import { layersNotDivisibleByPipeline } from './shape/layersNotDivisibleByPipeline';
import { moeBiasNeedsEtpOne } from './shape/moeBiasNeedsEtpOne';
import { pipelineSplitInvalid } from './shape/pipelineSplitInvalid';
import { queryGroupsIncompatibleWithTp } from './shape/queryGroupsIncompatibleWithTp';
import { routerGroupsInvalid } from './shape/routerGroupsInvalid';
import { routerTopkExceedsExperts } from './shape/routerTopkExceedsExperts';
import { sequenceNotDivisibleByContextParallel } from './shape/sequenceNotDivisibleByContextParallel';
import { sequenceParallelSequenceNotDivisible } from './shape/sequenceParallelSequenceNotDivisible';
import { sequenceParallelWithoutTp } from './shape/sequenceParallelWithoutTp';
import { topkOneNeedsPreSoftmax } from './shape/topkOneNeedsPreSoftmax';
import { expertGridNotDivisible } from './world/expertGridNotDivisible';
import { gpusPerNodeExceedsCluster } from './world/gpusPerNodeExceedsCluster';
import { tensorParallelSpansNodes } from './world/tensorParallelSpansNodes';
import { trainerExecutorWorldMismatch } from './world/trainerExecutorWorldMismatch';
import { virtualPipelineWithoutPipeline } from './world/virtualPipelineWithoutPipeline';
import { worldSizeNotDivisible } from './world/worldSizeNotDivisible';

export const RULES: readonly Rule[] = [
  worldSizeNotDivisible,
  expertGridNotDivisible,
  virtualPipelineWithoutPipeline,
  trainerExecutorWorldMismatch,
  gpusPerNodeExceedsCluster,
  tensorParallelSpansNodes,
  attentionHeadsNotDivisible,
  queryGroupsIncompatibleWithTp,
  ffnHiddenSizeNotDivisible,
  expertFfnNotDivisible,
  pipelineSplitInvalid,
  layersNotDivisibleByPipeline,
  expertParallelWithoutExperts,
  expertsNotDivisibleByEp,
  routerTopkExceedsExperts,
  topkOneNeedsPreSoftmax,
  routerGroupsInvalid,
  moeBiasNeedsEtpOne,
  sequenceNotDivisibleByContextParallel,
  sequenceParallelSequenceNotDivisible,
  sequenceParallelWithoutTp,
  expertTensorParallelWithoutSequenceParallel,
  globalBatchNotDivisible,
  interleavedMicrobatchesInvalid,
  dataSequenceLongerThanModel,
  sequenceLengthMismatch,
];

/** Every diagnostic code Recipe Lens reports, with its documentation. */
export const RULE_DOCS: readonly RuleDoc[] = [...RULES, ...MEMORY_RULES, recipeCallFails, unknownGpu, unusedSuppression];

const byCode = new Map(RULE_DOCS.map((r) => [r.code, r]));

export function ruleByCode(code: string): RuleDoc | undefined {
  return byCode.get(code);
}
