// The fix of an unused suppression (RL901) removes the stale code and nothing else: text after the
// code on its line stays a comment. A fuzz case found the fix turning `  )` that followed
// `# recipe-lens: ignore[RL101]` into code, which closed a call and raised RL101.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../server/src/fixes/edits';
import { analyze, dedent } from '../helpers/analyze';

const OPTIONS = { ignore: ['RL401', 'RL402'] };

/** The text with the fix of the file's one RL901 applied, and what the analysis says of it. */
async function fixUnused(text: string): Promise<{ fixed: string; codes: string[] }> {
  const unused = (await analyze(text, OPTIONS)).diagnostics.filter((d) => d.code === 'RL901');
  assert.equal(unused.length, 1, 'one unused suppression');
  const fixed = applyEdits(text, unused[0]!.fixes[0]!.edits);
  return { fixed, codes: (await analyze(fixed, OPTIONS)).diagnostics.map((d) => d.code) };
}

describe('removing an unused suppression', () => {
  it('keeps a reason written after the code as a comment', async () => {
    const text = dedent(`
      from nemo.collections import llm
      sc = llm.starcoder2_7b.pretrain_recipe(name="sc")
      sc.trainer.strategy.tensor_model_parallel_size = 4  # noqa: RL201 heads split evenly
    `);
    const { fixed, codes } = await fixUnused(text);
    assert.match(fixed, /tensor_model_parallel_size = 4 {2}# heads split evenly\n/);
    assert.deepEqual(codes, []);
  });

  it('keeps what follows the namespaced form commented, even where it would close a call', async () => {
    // As the fuzzer left it: the call's closing bracket was swapped into the comment.
    const text = 'from nemo.collections import llm\nbig = llm.llama3_70b.pretrain_recipe(name="big"# recipe-lens: ignore[RL101]  )\n';
    const { fixed, codes } = await fixUnused(text);
    assert.equal(fixed, 'from nemo.collections import llm\nbig = llm.llama3_70b.pretrain_recipe(name="big"  #  )\n');
    assert.ok(!codes.includes('RL101'), codes.join(', '));
  });

  it('removes the whole comment when nothing follows, or only another comment', async () => {
    const bare = dedent(`
      from nemo.collections import llm
      sc = llm.starcoder2_7b.pretrain_recipe(name="sc")
      sc.trainer.strategy.tensor_model_parallel_size = 4  # noqa: RL201
    `);
    assert.match((await fixUnused(bare)).fixed, /tensor_model_parallel_size = 4\n/);
    const followed = bare.replace('# noqa: RL201', '# noqa: RL201  # reviewed');
    assert.match((await fixUnused(followed)).fixed, /tensor_model_parallel_size = 4 {2}# reviewed\n/);
  });
});
