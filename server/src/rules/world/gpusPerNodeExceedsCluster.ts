// gpusPerNodeExceedsCluster: see docs/rules/ for what it checks and why.
import { pos, type Layout } from '../layout';
import type { Rule, RuleSettings } from '../rule';

export const gpusPerNodeExceedsCluster: Rule = {
  code: 'RL105',
  name: 'gpus-per-node-exceeds-cluster',
  severity: 'error',
  stage: 'launch',
  summary: 'The trainer asks for more GPUs per node than the configured cluster has.',
  docs: {
    what: 'When the cluster\'s GPUs per node are configured (setting `recipeLens.cluster.gpusPerNode`), checks that the trainer\'s `devices` does not exceed it.',
    why: 'A job that asks for more GPUs per node than a node has never gets scheduled, or starts fewer processes than the trainer expects.',
    example: 'recipe.trainer.devices = 16  # the cluster has 8 GPUs per node',
    fix: 'Lower `devices` to the GPUs of one node and raise `num_nodes` instead.',
    references: 'Scheduler behaviour (Slurm `--gpus-per-node`); Lightning device checks.',
  },
  check(l: Layout, s: RuleSettings) {
    if (!s.clusterGpusPerNode || !pos(l.gpusPerNode) || l.gpusPerNode <= s.clusterGpusPerNode) return undefined;
    return { message: `devices = ${l.gpusPerNode} GPUs per node, but the configured cluster has ${s.clusterGpusPerNode} per node`, fields: ['gpusPerNode'], fixable: ['gpusPerNode'] };
  },
};
