// The HTML of the "Explore Layouts" webview: the ranked layouts of a job as a table, each row with
// an Apply button that posts the row's index back to the extension. Pure (no `vscode`), so tests
// render it directly.
import type { LayoutsResponse } from '../../server/src/lsp/protocol';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function layoutsHtml(file: string, response: LayoutsResponse, nonce: string): string {
  const rows = response.rows
    .map(
      (row, i) => `<tr${row.roomy ? '' : ' class="tight"'}>
  <td>${i + 1}</td><td>${escape(row.title)}</td><td>${row.stepSeconds.toPrecision(3)} s</td><td>${row.roomy ? '' : 'above 90% of the memory'}</td>
  <td><code>${escape(row.changes || 'the current layout')}</code></td>
  <td>${row.changes ? `<button data-row="${i}">Apply</button>` : ''}</td>
</tr>`,
    )
    .join('\n');
  const body = response.rows.length
    ? `<table><thead><tr><th>#</th><th>layout (DP, peak memory per GPU)</th><th>step</th><th></th><th>changes</th><th></th></tr></thead><tbody>
${rows}
</tbody></table>
<p>Best first: layouts with headroom (at most 90% of the GPU's memory), then by estimated step time, which ranks layouts and does not promise seconds.</p>`
    : `<p>No layout to offer: ${escape(response.reason ?? 'none found')}.</p>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}';">
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
table { border-collapse: collapse; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border); }
tr.tight td { color: var(--vscode-descriptionForeground); }
button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 2px 10px; cursor: pointer; }
</style></head>
<body><h2>Valid layouts that fit: ${escape(file)}</h2>
${body}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
for (const b of document.querySelectorAll('button[data-row]')) b.addEventListener('click', () => vscode.postMessage({ apply: Number(b.dataset.row) }));
</script></body></html>
`;
}
