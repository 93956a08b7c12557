// An analysis that throws is a bug of Recipe Lens. The server must contain it: the file gets no
// diagnostics and says why, the error is reported once per version, and the next version of the
// file, or any other file, is analysed as usual. (Diagnostics are published outside any request,
// where an exception would have ended the server and every open file with it.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeParsed } from '../../server/src/analysis/analyze';
import { Workspace } from '../../server/src/lsp/workspace';
import { pythonParser } from '../helpers/analyze';

const RECIPE = 'from nemo.collections import llm\nrecipe = llm.llama3_8b.pretrain_recipe(num_nodes=1)\nrecipe.trainer.strategy.tensor_model_parallel_size = 16\n';

describe('workspace: an analysis that throws', () => {
  it('leaves the file without diagnostics, says why, reports once per version, and analyses the next version', async () => {
    const reports: string[] = [];
    let failing = true;
    let calls = 0;
    const analyze: typeof analyzeParsed = (...args) => {
      calls++;
      if (failing) throw new TypeError("Cannot read properties of undefined (reading 'kind')");
      return analyzeParsed(...args);
    };
    const workspace = new Workspace(await pythonParser(), (m) => reports.push(m), analyze);
    const entry = workspace.didOpen('file:///w/a.py', 'python', 1, RECIPE);

    const first = workspace.analysis(entry);
    assert.deepEqual(first.diagnostics, []);
    assert.match(first.skipped ?? '', /^an internal error stopped the analysis \(Cannot read properties of undefined \(reading 'kind'\)\)/);
    assert.equal(reports.length, 1);
    assert.match(reports[0]!, /could not analyse file:\/\/\/w\/a\.py \(version 1\), because of a bug in Recipe Lens/);
    assert.match(reports[0]!, /TypeError: Cannot read properties of undefined/);

    // Hover, inlay hints and code lenses ask again for the same version: no second run, no second report.
    assert.equal(workspace.analysis(entry), first);
    assert.equal(calls, 1);
    assert.equal(reports.length, 1);

    // The next version, once the bug is not hit, gets its diagnostics.
    failing = false;
    workspace.didChange('file:///w/a.py', 2, [{ text: RECIPE + '\n' }]);
    const second = workspace.analysis(entry);
    assert.equal(second.skipped, undefined);
    assert.deepEqual(
      second.diagnostics.map((d) => [d.code, d.range.start.line]),
      [['RL101', 2]],
    );
    assert.equal(reports.length, 1);
  });

  it('never runs the analysis for a file that does not mention NeMo or Megatron-Bridge', async () => {
    let calls = 0;
    const workspace = new Workspace(await pythonParser(), () => undefined, () => {
      calls++;
      throw new Error('not expected');
    });
    const entry = workspace.didOpen('file:///w/b.py', 'python', 1, 'print("hello")\n');
    assert.deepEqual(workspace.analysis(entry).diagnostics, []);
    assert.equal(calls, 0);
  });
});
