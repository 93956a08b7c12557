// The "Explore Layouts" webview's HTML: one row per layout with an Apply button that posts the
// row's index, text escaped, scripts allowed only with the nonce, and the reason when empty.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layoutsHtml } from '../../client/src/layoutsHtml';

const edit = { changes: {} };

describe('the Explore Layouts webview', () => {
  it('lists the layouts with Apply buttons that post their row', () => {
    const html = layoutsHtml('r<1>.py', {
      rows: [
        { title: 'TP 1, PP 2, VP 2, CP 2 (DP 2, 63.9 GiB)', stepSeconds: 65.04, roomy: true, changes: 'pipeline_model_parallel_size=2', edit },
        { title: 'TP 8, PP 1, VP -, CP 1 (DP 1, 75.0 GiB): the current layout', stepSeconds: 70.1, roomy: false, changes: '', edit },
      ],
    }, 'abc123');
    assert.match(html, /<h2>Valid layouts that fit: r&lt;1&gt;\.py<\/h2>/);
    assert.equal(html.match(/<tr/g)!.length, 3);
    assert.match(html, /<td>1<\/td><td>TP 1, PP 2, VP 2, CP 2 \(DP 2, 63\.9 GiB\)<\/td><td>65\.0 s<\/td>/);
    assert.equal(html.match(/<button data-row="0">Apply<\/button>/g)!.length, 1);
    assert.doesNotMatch(html, /data-row="1"/);
    assert.match(html, /<tr class="tight">[\s\S]*above 90% of the memory/);
    assert.match(html, /script-src 'nonce-abc123'/);
    assert.match(html, /<script nonce="abc123">[\s\S]*postMessage\(\{ apply: Number\(b\.dataset\.row\) \}\)/);
  });

  it('says why there is nothing to offer', () => {
    assert.match(layoutsHtml('x.py', { reason: 'no layout every rule accepts fits in memory', rows: [] }, 'n'), /<p>No layout to offer: no layout every rule accepts fits in memory\.<\/p>/);
  });
});
