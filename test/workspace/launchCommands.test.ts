// Launch commands read from shell-like text: torchrun and srun forms, #SBATCH directives, variables
// substituted only when assigned literally, and script paths matched to files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandNamesScript, parseLaunchCommands, type LaunchCommand } from '../../server/src/launch/commands';

/** The one command in a text, without its `how`. */
function only(text: string): Omit<LaunchCommand, 'how'> {
  const cmds = parseLaunchCommands(text);
  assert.equal(cmds.length, 1, `one command in ${JSON.stringify(text)}: ${JSON.stringify(cmds)}`);
  const { how: _how, ...rest } = cmds[0]!;
  return rest;
}

describe('torchrun commands', () => {
  it('read --nproc_per_node=N and --nnodes=M, giving the world', () => {
    assert.deepEqual(only('torchrun --nproc_per_node=8 --nnodes=2 examples/pretrain_llama.py --foo 1'), { script: 'examples/pretrain_llama.py', nodes: 2, gpusPerNode: 8, world: 16, line: 0 });
  });

  it('read the dashed spellings with separate values', () => {
    assert.deepEqual(only('torchrun --nproc-per-node 4 --nnodes 3 --rdzv-endpoint host:29500 ./train.py'), { script: './train.py', nodes: 3, gpusPerNode: 4, world: 12, line: 0 });
  });

  it('take one node when only the processes per node are given, and one process when nothing is', () => {
    assert.deepEqual(only('torchrun --nproc_per_node=8 train.py'), { script: 'train.py', nodes: 1, gpusPerNode: 8, world: 8, line: 0 });
    assert.deepEqual(only('torchrun --standalone --nproc_per_node=2 train.py'), { script: 'train.py', nodes: 1, gpusPerNode: 2, world: 2, line: 0 });
    assert.deepEqual(only('torchrun train.py'), { script: 'train.py', nodes: 1, gpusPerNode: 1, world: 1, line: 0 });
  });

  it('leave elastic node ranges, gpu/auto and unassigned variables unknown', () => {
    assert.deepEqual(only('torchrun --nnodes=1:4 --nproc_per_node=8 train.py'), { script: 'train.py', gpusPerNode: 8, line: 0 });
    assert.deepEqual(only('torchrun --nnodes=2:2 --nproc_per_node=8 train.py'), { script: 'train.py', nodes: 2, gpusPerNode: 8, world: 16, line: 0 });
    assert.deepEqual(only('torchrun --nproc_per_node=gpu train.py'), { script: 'train.py', nodes: 1, line: 0 });
    assert.deepEqual(only('torchrun --nproc_per_node=auto --nnodes=2 train.py'), { script: 'train.py', nodes: 2, line: 0 });
    assert.deepEqual(only('torchrun --nproc_per_node=$GPUS --nnodes=${NNODES} train.py'), { script: 'train.py', line: 0 });
  });

  it('join backslash continuations and report the line the command starts on', () => {
    const text = ['#!/bin/bash', 'set -e', '', 'torchrun \\', '  --nproc_per_node=8 \\', '  --nnodes=2 \\', '  examples/pretrain.py \\', '  --config x.yaml'].join('\n');
    const cmds = parseLaunchCommands(text);
    assert.equal(cmds.length, 1);
    assert.deepEqual(cmds[0], { script: 'examples/pretrain.py', nodes: 2, gpusPerNode: 8, world: 16, line: 3, how: 'torchrun --nproc_per_node=8 --nnodes=2' });
  });

  it('read python -m torch.distributed.run and .launch, and uv run torchrun', () => {
    assert.deepEqual(only('python -m torch.distributed.run --nproc_per_node=4 a.py'), { script: 'a.py', nodes: 1, gpusPerNode: 4, world: 4, line: 0 });
    assert.deepEqual(only('python3 -u -m torch.distributed.launch --nproc_per_node 2 --nnodes 2 --use_env b.py'), { script: 'b.py', nodes: 2, gpusPerNode: 2, world: 4, line: 0 });
    assert.deepEqual(only('uv run torchrun --nproc-per-node=2 c.py 2>&1 | tee log.txt'), { script: 'c.py', nodes: 1, gpusPerNode: 2, world: 2, line: 0 });
    assert.equal(parseLaunchCommands('python -m torch.distributed.run --nproc_per_node=4 a.py')[0]!.how, 'python -m torch.distributed.run --nproc_per_node=4');
  });

  it('skip commands that launch no .py file, plain python, and commented-out lines', () => {
    assert.deepEqual(parseLaunchCommands('torchrun --nproc_per_node=8 -m megatron.bridge.train'), []);
    assert.deepEqual(parseLaunchCommands('python -m torch.distributed.run --nproc_per_node=8 --module pkg.train'), []);
    assert.deepEqual(parseLaunchCommands('python train.py --nproc_per_node=8'), []);
    assert.deepEqual(parseLaunchCommands('# torchrun --nproc_per_node=8 train.py'), []);
    assert.deepEqual(parseLaunchCommands('Use torchrun to start it on every node.'), []);
  });
});

describe('variables', () => {
  it('substitute literal assignments made earlier, with or without export', () => {
    const text = 'NNODES=2\nexport GPUS_PER_NODE=8\ntorchrun --nproc_per_node=$GPUS_PER_NODE --nnodes ${NNODES} train.py';
    assert.deepEqual(only(text), { script: 'train.py', nodes: 2, gpusPerNode: 8, world: 16, line: 2 });
  });

  it('take ${X:-default} only when X is not assigned', () => {
    assert.deepEqual(only('torchrun --nproc_per_node=${GPUS:-4} --nnodes=${NODES:-2} train.py'), { script: 'train.py', nodes: 2, gpusPerNode: 4, world: 8, line: 0 });
    assert.deepEqual(only('GPUS=8\ntorchrun --nproc_per_node=${GPUS:-4} train.py'), { script: 'train.py', nodes: 1, gpusPerNode: 8, world: 8, line: 1 });
    assert.deepEqual(only('NNODES=${NNODES:-3}\ntorchrun --nproc_per_node=2 --nnodes=$NNODES train.py'), { script: 'train.py', nodes: 3, gpusPerNode: 2, world: 6, line: 1 });
  });

  it('keep values assigned from unknown ones, after the command, or inside a branch unknown', () => {
    assert.deepEqual(only('NNODES=$SOMETHING\ntorchrun --nproc_per_node=8 --nnodes=${NNODES:-2} train.py'), { script: 'train.py', gpusPerNode: 8, line: 1 });
    assert.deepEqual(only('torchrun --nproc_per_node=$G train.py\nG=8'), { script: 'train.py', nodes: 1, line: 0 });
    assert.deepEqual(only('G=4\nif [ "$BIG" = 1 ]; then\n  G=8\nfi\ntorchrun --nproc_per_node=$G train.py'), { script: 'train.py', nodes: 1, line: 4 });
    assert.deepEqual(only('G=$(nvidia-smi -L | wc -l)\ntorchrun --nproc_per_node=$G train.py'), { script: 'train.py', nodes: 1, line: 1 });
  });

  it('take an assignment made earlier on the same line', () => {
    assert.deepEqual(only('N=2; G=4 && torchrun --nnodes=$N --nproc_per_node=$G train.py'), { script: 'train.py', nodes: 2, gpusPerNode: 4, world: 8, line: 0 });
  });

  it('keep a variable assigned from backticks unknown, its default not taken', () => {
    assert.deepEqual(only('G=`nvidia-smi -L | wc -l`\ntorchrun --nproc_per_node=${G:-8} train.py'), { script: 'train.py', nodes: 1, line: 1 });
  });

  it('do not keep a variable set for one command only', () => {
    const cmds = parseLaunchCommands('G=8 torchrun --nproc_per_node=2 train.py\ntorchrun --nproc_per_node=$G other.py');
    assert.deepEqual(cmds.map((c) => c.gpusPerNode), [2, undefined]);
  });

  it('split an unquoted options variable into words, as a string or an array', () => {
    const string = 'GPUS_PER_NODE=4\nDISTRIBUTED_ARGS="--nproc_per_node $GPUS_PER_NODE --nnodes 2 --master_port 6000"\ntorchrun $DISTRIBUTED_ARGS pretrain_gpt.py';
    assert.deepEqual(only(string), { script: 'pretrain_gpt.py', nodes: 2, gpusPerNode: 4, world: 8, line: 2 });
    const array = 'DISTRIBUTED_ARGS=(\n  --nproc_per_node 8  # all of them\n  --nnodes 2\n)\n\ntorchrun ${DISTRIBUTED_ARGS[@]} pretrain_gpt.py';
    assert.deepEqual(only(array), { script: 'pretrain_gpt.py', nodes: 2, gpusPerNode: 8, world: 16, line: 5 });
  });

  it('treat an unknown options variable as possibly overriding what came before it', () => {
    assert.deepEqual(only('torchrun --nproc_per_node=8 --nnodes=2 $EXTRA_ARGS train.py'), { script: 'train.py', line: 0 });
    assert.deepEqual(only('torchrun $EXTRA_ARGS --nproc_per_node=8 --nnodes=2 train.py'), { script: 'train.py', nodes: 2, gpusPerNode: 8, world: 16, line: 0 });
  });

  it('substitute known variables in the script path', () => {
    assert.equal(only('REPO=/opt/bridge\ntorchrun --nproc_per_node=2 $REPO/examples/train.py').script, '/opt/bridge/examples/train.py');
    assert.equal(only('torchrun --nproc_per_node=2 ${REPO}/examples/train.py').script, '${REPO}/examples/train.py');
  });
});

describe('Slurm', () => {
  it('srun python takes nodes and tasks per node from #SBATCH lines above it', () => {
    const text = '#!/bin/bash\n#SBATCH --nodes=4\n#SBATCH --ntasks-per-node=8\n#SBATCH --gpus-per-node=8\n\nsrun python examples/pretrain.py';
    const cmds = parseLaunchCommands(text);
    assert.deepEqual(cmds, [{ script: 'examples/pretrain.py', nodes: 4, gpusPerNode: 8, world: 32, line: 5, how: 'srun with #SBATCH --nodes=4 --ntasks-per-node=8 --gpus-per-node=8' }]);
  });

  it('srun flags win over #SBATCH, in long and short spellings', () => {
    const text = '#SBATCH -N 4\n#SBATCH --ntasks-per-node=8\nsrun -N2 --ntasks-per-node 4 --container-image nvcr.io/nvidia/nemo:25.04 python -u train.py';
    const cmds = parseLaunchCommands(text);
    assert.equal(cmds.length, 1);
    assert.deepEqual({ ...cmds[0], how: undefined }, { script: 'train.py', nodes: 2, gpusPerNode: 4, world: 8, line: 2, how: undefined });
    assert.equal(cmds[0]!.how, 'srun -N 2 --ntasks-per-node=4');
  });

  it('srun with --ntasks gives the world and, when it divides, the tasks per node', () => {
    assert.deepEqual(only('srun --nodes=2 --ntasks=16 python train.py'), { script: 'train.py', nodes: 2, gpusPerNode: 8, world: 16, line: 0 });
  });

  it('srun without tasks per node leaves the GPUs per node unknown', () => {
    assert.deepEqual(only('#SBATCH --nodes=2\nsrun python train.py'), { script: 'train.py', nodes: 2, line: 1 });
  });

  it('srun launching torchrun takes torchrun\'s processes per node, and the Slurm GPUs for gpu/auto', () => {
    assert.deepEqual(only('#SBATCH --nodes=2\n#SBATCH --gpus-per-node=8\nsrun torchrun --nproc_per_node=4 --nnodes=2 train.py'), { script: 'train.py', nodes: 2, gpusPerNode: 4, world: 8, line: 2 });
    assert.deepEqual(only('#SBATCH --nodes=2\n#SBATCH --gres=gpu:h100:8\nsrun torchrun --nproc_per_node=gpu --nnodes=$SLURM_NNODES train.py'), { script: 'train.py', nodes: 2, gpusPerNode: 8, world: 16, line: 2 });
    assert.deepEqual(only('#SBATCH -N 3\nsrun --ntasks-per-node=1 bash -c \'torchrun --nproc_per_node=8 --nnodes=$SLURM_JOB_NUM_NODES train.py\''), { script: 'train.py', nodes: 3, gpusPerNode: 8, world: 24, line: 1 });
  });

  it('#SBATCH lines below a command do not apply to it, and Slurm variables are unknown without them', () => {
    assert.deepEqual(only('srun --ntasks-per-node=8 python train.py\n#SBATCH --nodes=4'), { script: 'train.py', gpusPerNode: 8, line: 0 });
    assert.deepEqual(only('torchrun --nproc_per_node=8 --nnodes=${SLURM_NNODES:-1} train.py'), { script: 'train.py', gpusPerNode: 8, line: 0 });
  });

  it('node ranges and unknown srun options leave the counts unknown', () => {
    assert.deepEqual(only('#SBATCH --nodes=2-4\n#SBATCH --ntasks-per-node=8\nsrun python train.py'), { script: 'train.py', gpusPerNode: 8, line: 2 });
    assert.deepEqual(only('#SBATCH --nodes=2\n#SBATCH --ntasks-per-node=8\nsrun $SRUN_ARGS python train.py'), { script: 'train.py', line: 2 });
  });
});

describe('documentation text', () => {
  it('finds commands in Markdown code blocks and inline code', () => {
    const md = '# Training\n\nRun it with `torchrun --nproc_per_node=8 examples/train.py` on one node, or:\n\n```bash\n$ torchrun --nnodes=2 --nproc_per_node=8 examples/train.py\n```\n';
    const cmds = parseLaunchCommands(md);
    assert.deepEqual(cmds.map((c) => [c.line, c.world]), [[2, 8], [5, 16]]);
  });

  it('does not let an apostrophe in prose hide inline code', () => {
    assert.deepEqual(only("Here's the command: `torchrun --nproc_per_node=2 train.py`, and that's all."), { script: 'train.py', nodes: 1, gpusPerNode: 2, world: 2, line: 0 });
  });

  it('finds commands in a Python docstring', () => {
    const doc = 'Pretrain Llama 3 8B.\n\nUsage:\n    torchrun --nproc_per_node=8 \\\n        examples/recipes/llama/pretrain_llama3_8b.py --config-file conf.yaml\n';
    assert.deepEqual(only(doc), { script: 'examples/recipes/llama/pretrain_llama3_8b.py', nodes: 1, gpusPerNode: 8, world: 8, line: 3 });
  });
});

describe('commandNamesScript', () => {
  const cmd = (script: string): LaunchCommand => ({ script, line: 0, how: 'torchrun' });

  it('matches a path relative to the command file\'s folder', () => {
    assert.ok(commandNamesScript(cmd('../train.py'), '/repo/train.py', '/repo/scripts'));
    assert.ok(commandNamesScript(cmd('./train.py'), '/repo/scripts/train.py', '/repo/scripts'));
  });

  it('matches a path written from the repository root as a suffix at a segment boundary', () => {
    assert.ok(commandNamesScript(cmd('examples/pretrain.py'), '/repo/examples/pretrain.py', '/repo/scripts/slurm'));
    assert.ok(commandNamesScript(cmd('./examples/pretrain.py'), '/repo/examples/pretrain.py', '/elsewhere'));
    assert.ok(!commandNamesScript(cmd('les/pretrain.py'), '/repo/examples/pretrain.py', '/elsewhere'));
    assert.ok(!commandNamesScript(cmd('examples/other.py'), '/repo/examples/pretrain.py', '/repo'));
    assert.ok(!commandNamesScript(cmd('../examples/pretrain.py'), '/repo/examples/pretrain.py', '/x/y'));
  });

  it('skips a leading unresolved folder variable but never matches an unresolved file name', () => {
    assert.ok(commandNamesScript(cmd('${REPO}/examples/pretrain.py'), '/repo/examples/pretrain.py', '/elsewhere'));
    assert.ok(!commandNamesScript(cmd('examples/$SCRIPT'), '/repo/examples/pretrain.py', '/repo'));
  });
});
