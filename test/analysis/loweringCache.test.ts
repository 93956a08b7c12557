// An editor keeps the lowered statements between analyses of a document. After any sequence of
// edits, an analysis that reuses them must equal a fresh one. As the language server does, the
// cache is settled (lazy function bodies lowered) before each edit replaces the tree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeParsed } from '../../server/src/analysis/analyze';
import { PythonDocument } from '../../server/src/parse/document';
import { settleLowering, type LoweringCache } from '../../server/src/parse/lower';
import { planToJson } from '../../server/src/plan/json';
import { pythonParser } from '../helpers/analyze';

// Scripts with helper functions and a factory for run.cli, whose bodies are lowered lazily.
const TEXT = ['llama3_70b_pretrain_slurm.py', 'mixtral_8x7b_lora_sweep.py', 'deepseek_v3_cli_factory.py'].map((f) => readFileSync(join(__dirname, '..', '..', 'examples', f), 'utf8')).join('\n');

describe('lowering cache', () => {
  it('gives the same analysis as a fresh lowering after every edit', async () => {
    const parser = await pythonParser();
    const doc = PythonDocument.parse(parser, TEXT);
    const cache: LoweringCache = new Map();
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const snippets = ['', '\n', 'x', '1', ')', '    ', 'recipe.trainer.strategy.tensor_model_parallel_size = 2\n', 'def f(:\n', '# c\n'];
    for (let step = 0; step < 150; step++) {
      const offset = random(doc.text.length + 1);
      const length = random(6);
      const start = doc.lines.positionAt(offset);
      const end = doc.lines.positionAt(Math.min(doc.text.length, offset + length));
      settleLowering(cache);
      doc.applyChanges([{ range: { start, end }, text: snippets[random(snippets.length)]! }]);
      const cached = analyzeParsed(parser, doc, { lowering: cache, verifyFixes: false });
      const fresh = analyzeParsed(parser, doc, { verifyFixes: false });
      assert.deepEqual(cached.plans.map((p, i) => planToJson(p, cached.memory[i])), fresh.plans.map((p, i) => planToJson(p, fresh.memory[i])), `plans after step ${step}`);
      assert.deepEqual(cached.diagnostics, fresh.diagnostics, `diagnostics after step ${step}`);
    }
    doc.dispose();
  });
});
