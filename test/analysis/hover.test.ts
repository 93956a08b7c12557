// The hover of a Megatron-Bridge job whose world no launcher states: the version assumed, and the
// unknown values with their shared reason on one line, with the name's GPU count as a hint.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hoverAt } from '../../server/src/analysis/hover';
import { analyze, dedent } from '../helpers/analyze';

describe('hover on a Bridge job without a world', () => {
  it('says why the world is unknown once, with the hint of the recipe name', async () => {
    const text = dedent(`
      from megatron.bridge.recipes.llama import llama3_8b_pretrain_2gpu_h100_bf16_config
      cfg = llama3_8b_pretrain_2gpu_h100_bf16_config()
    `);
    const hover = hoverAt(await analyze(text), { line: 1, character: 10 });
    const lines = hover!.markdown.split('\n');
    assert.ok(lines.includes('recipes of Megatron-Bridge 0.6 and later (era D), assumed from the newest recipes in the catalog (no version pinned)'), hover!.markdown);
    const world = lines.filter((l) => l.includes('`world.size`'));
    assert.equal(world.length, 1);
    assert.match(world[0]!, /^- `world\.nodes`, `world\.gpusPerNode`, `world\.size`, `parallelism\.dp`: Megatron-Bridge takes the world size from its launcher/);
    assert.match(world[0]!, /the name llama3_8b_pretrain_2gpu_h100_bf16_config\(\) suggests 2 GPUs, a hint that Recipe Lens does not check against$/);
  });
});
