// Which GPU a file is estimated for: its directive comment, else the setting, else the H100 80GB.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseGpu } from '../../server/src/analysis/gpuChoice';
import { parseDirectives } from '../../server/src/analysis/directives';

describe('the GPU of a file', () => {
  it('is the H100 80GB by default, the setting when there is one, and the directive over both', () => {
    assert.equal(chooseGpu(parseDirectives('import nemo\n'), undefined).choice.gpu.id, 'h100-80gb');
    assert.deepEqual(chooseGpu(parseDirectives('import nemo\n'), undefined).choice.from, { kind: 'default' });
    assert.equal(chooseGpu(parseDirectives('import nemo\n'), 'b200').choice.gpu.id, 'b200');
    const chosen = chooseGpu(parseDirectives('import nemo\nx = 1  # recipe-lens: gpu=NVIDIA_H200\n'), 'b200').choice;
    assert.equal(chosen.gpu.id, 'h200-141gb');
    assert.deepEqual(chosen.from, { kind: 'directive', range: { start: { line: 1, character: 26 }, end: { line: 1, character: 37 } } });
  });

  it('ignores directives inside strings and reads only the first', () => {
    assert.equal(chooseGpu(parseDirectives('s = "# recipe-lens: gpu=b200"\n'), undefined).choice.gpu.id, 'h100-80gb');
    assert.equal(chooseGpu(parseDirectives('# recipe-lens: gpu=l40s\n# recipe-lens: gpu=b200\n'), undefined).choice.gpu.id, 'l40s');
  });

  it('reports an unknown GPU with the nearest name as its fix, and uses the setting', () => {
    const { choice, diagnostic } = chooseGpu(parseDirectives('# recipe-lens: gpu=a100-80g8\n'), 'h200');
    assert.equal(choice.gpu.id, 'h200-141gb');
    assert.equal(diagnostic?.code, 'RL404');
    assert.match(diagnostic!.message, /unknown GPU "a100-80g8"; the catalog has h100-80gb, .*; estimating for the NVIDIA H200/);
    assert.equal(diagnostic!.fixes[0]!.title, 'Replace with a100-80gb');
    assert.equal(chooseGpu(parseDirectives('# recipe-lens: gpu=tpu-v5\n'), undefined).diagnostic!.fixes.length, 0);
  });
});
