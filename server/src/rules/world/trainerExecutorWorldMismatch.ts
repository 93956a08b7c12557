// trainerExecutorWorldMismatch: see docs/rules/ for what it checks and why.
import { exactProduct, pos, worldOf, type Layout } from '../layout';
import type { Rule } from '../rule';

export const trainerExecutorWorldMismatch: Rule = {
  code: 'RL104',
  name: 'trainer-executor-world-mismatch',
  severity: 'error',
  stage: 'launch',
  summary: "The trainer's world (num_nodes x devices) differs from what the executor launches.",
  docs: {
    what: 'Compares the trainer\'s `num_nodes` and `devices` with the nodes and processes per node of the NeMo-Run executor that launches the job (computed as NeMo-Run does: `ntasks_per_node`, `gpus_per_node`, `torchrun_nproc_per_node`, the launcher).',
    why: 'Lightning checks that the processes it finds match `devices x num_nodes`: under Slurm it raises "You set devices=... but the number of tasks per node configured in SLURM ... does not match"; under torchrun the job fails or waits in rendezvous for processes that never come.',
    example: 'run.run(recipe, executor=run.LocalExecutor(ntasks_per_node=2, launcher="torchrun"))  # recipe.trainer.devices is 8',
    fix: 'Make the executor launch `devices` processes on each of `num_nodes` nodes, or size the trainer from the executor.',
    references: 'Lightning `SLURMEnvironment.validate_settings`, `TorchElasticEnvironment`; NeMo-Run `nproc_per_node()` of each executor; NeMo `ConfigValidationPlugin` (Slurm only, opt-in).',
  },
  check(l: Layout) {
    const e = l.executor;
    if (!e || !pos(e.nodes) || !pos(e.perNode) || !pos(l.nodes) || !pos(l.gpusPerNode)) return undefined;
    if (e.nodes === l.nodes && e.perNode === l.gpusPerNode) return undefined;
    const world = worldOf(l);
    const launched = exactProduct(e.nodes, e.perNode);
    if (world === undefined || launched === undefined) return undefined;
    const hint = e.perNode !== l.gpusPerNode ? `; make the executor start ${l.gpusPerNode} processes per node (ntasks_per_node=${l.gpusPerNode}, or a torchrun launcher)` : `; launch on ${l.nodes} node${l.nodes === 1 ? '' : 's'}`;
    return {
      message: `the trainer expects ${l.nodes} node${l.nodes === 1 ? '' : 's'} x ${l.gpusPerNode} GPUs = ${world} processes, but ${e.name} launches ${e.nodes} x ${e.perNode} = ${launched}${hint}`,
      fields: ['nodes', 'gpusPerNode'],
      // The executor's fields are not layout values; the trainer is usually right.
      fixable: [],
      relatesToExecutor: true,
    };
  },
};
