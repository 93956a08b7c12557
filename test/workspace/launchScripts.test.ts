// Finding the files of a workspace that launch a script: which files are read, which folders are
// skipped, and which commands are kept, on a real temporary tree.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findLaunches } from '../../server/src/workspace/launchScripts';

describe('findLaunches', () => {
  let root: string;
  let outside: string;
  let script: string;
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  const found = (options?: { maxFiles?: number; maxBytes?: number }) =>
    findLaunches(script, [root], options).map((s) => [relative(root, s.file), s.command.line, s.command.world ?? null]);

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'launches-'));
    outside = mkdtempSync(join(tmpdir(), 'launches-outside-'));
    script = join(root, 'examples', 'pretrain.py');
    write('examples/pretrain.py', 'print(1)\n');
    write('scripts/run.sh', '#!/bin/bash\ntorchrun --nproc_per_node=8 --nnodes=2 examples/pretrain.py\ntorchrun --nproc_per_node=8 examples/other.py\n');
    write('scripts/local.bash', 'torchrun --nproc_per_node=2 ../examples/pretrain.py\n');
    write('slurm/job.sbatch', '#SBATCH --nodes=4\n#SBATCH --ntasks-per-node=8\nsrun python examples/pretrain.py\n');
    write('slurm/job.slurm', '#SBATCH -N 1\nsrun --ntasks-per-node=4 python ${REPO}/examples/pretrain.py\n');
    write('README.md', '# Example\n\n```bash\ntorchrun --nproc_per_node=4 examples/pretrain.py\n```\n');
    write('Makefile', 'train:\n\ttorchrun --nproc_per_node=1 examples/pretrain.py\n');
    write('notes.txt', 'torchrun --nproc_per_node=8 examples/pretrain.py\n');
    write('node_modules/pkg/run.sh', 'torchrun --nproc_per_node=8 examples/pretrain.py\n');
    write('.github/run.sh', 'torchrun --nproc_per_node=8 examples/pretrain.py\n');
    write('big.sh', 'torchrun --nproc_per_node=8 examples/pretrain.py\n' + '# padding\n'.repeat(200));
    writeFileSync(join(outside, 'run.sh'), 'torchrun --nproc_per_node=8 examples/pretrain.py\n');
    symlinkSync(outside, join(root, 'linked'));
    symlinkSync(join(root, 'missing-target.sh'), join(root, 'dangling.sh'));
  });

  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('keeps the commands naming the script, relative to the command file or to the root', () => {
    assert.deepEqual(found({ maxBytes: 1000 }), [
      ['Makefile', 1, 1],
      ['README.md', 3, 4],
      ['scripts/local.bash', 0, 2],
      ['scripts/run.sh', 1, 16],
      ['slurm/job.sbatch', 2, 32],
      ['slurm/job.slurm', 1, 4],
    ]);
  });

  it('reads large files only under the byte limit', () => {
    assert.ok(found().some(([file]) => file === 'big.sh'));
    assert.ok(!found({ maxBytes: 1000 }).some(([file]) => file === 'big.sh'));
  });

  it('stops after maxFiles files, the shallowest first', () => {
    assert.deepEqual(found({ maxFiles: 1 }), [['Makefile', 1, 1]]);
  });

  it('walks nested and repeated roots once', () => {
    const twice = findLaunches(script, [root, join(root, 'scripts'), root], { maxBytes: 1000 });
    assert.equal(twice.length, 6);
  });

  it('returns nothing for roots that do not exist', () => {
    assert.deepEqual(findLaunches(script, [join(root, 'nope')]), []);
  });
});
