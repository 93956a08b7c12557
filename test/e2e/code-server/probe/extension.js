// Test-only extension, run by code-server's Node extension host beside the installed Recipe Lens
// .vsix. It drives Recipe Lens through VS Code's public API on a recipe from examples/ and writes a
// JSON report to $RECIPE_LENS_E2E_DIR/result.json. Midway it writes ready.json (where the
// squiggle is) and waits for screenshot-done, so the harness can hover the squiggle with the
// mouse and take the screenshot before the quick fix clears it.
'use strict';
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');

const DIR = process.env.RECIPE_LENS_E2E_DIR;
const FILE = 'llama3_8b_pretrain_oom.py';
const TIMEOUT = 60000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitFor(what, fn) {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > TIMEOUT) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
function check(condition, message) {
  if (!condition) throw new Error(message);
}
const text = (contents) => contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');

async function run() {
  const report = { ok: false, steps: [] };
  const step = (name, data) => report.steps.push({ name, data });
  try {
    const folder = await waitFor('the workspace folder', () => vscode.workspace.workspaceFolders?.[0]);
    const uri = vscode.Uri.joinPath(folder.uri, FILE);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const ext = await waitFor('the Recipe Lens extension', () => vscode.extensions.getExtension('recipe-lens.recipe-lens'));
    await ext.activate();
    step('activated', { id: ext.id, version: ext.packageJSON.version });

    const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'recipe-lens');
    const [d] = await waitFor('diagnostics', () => (ours().length ? ours() : undefined));
    step('diagnostics', ours().map((x) => ({ code: x.code && (x.code.value || x.code), line: x.range.start.line, character: x.range.start.character, message: x.message })));
    check(ours().length === 1, `one diagnostic, got ${ours().length}`);
    check((d.code.value || d.code) === 'RL401', `RL401, got ${JSON.stringify(d.code)}`);
    check(d.range.start.line === 11 && d.range.start.character === 0, `at line 12, got ${d.range.start.line + 1}:${d.range.start.character + 1}`);
    check(/^estimated peak [\d.]+ GiB per GPU .* exceeds the 79\.6 GiB of the NVIDIA H100 80GB HBM3 \(SXM\)/.test(d.message), `the message: ${d.message}`);

    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(11, 14));
    const hover = hovers.map((h) => text(h.contents)).join('\n');
    step('hover', hover);
    check(hover.includes('**Memory per GPU** on the NVIDIA H100 80GB HBM3 (SXM)') && /\| activations \| [\d.]+ \|/.test(hover) && hover.includes('| capacity | 79.6 |'), 'the hover has the memory table');

    const hints = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', uri, new vscode.Range(0, 0, editor.document.lineCount, 0));
    const labels = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
    step('inlayHints', labels);
    check(labels.some((l) => /^DP=4 · [\d.]+\/79\.6 GiB$/.test(l)), `an inlay hint with DP and memory, got ${JSON.stringify(labels)}`);
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri);
    const titles = lenses.map((l) => l.command && l.command.title);
    step('codeLenses', titles);
    check(titles.some((t) => /TP 1 x PP 1 x CP 2 x DP 4 · peak [\d.]+\/79\.6 GiB per GPU/.test(t || '')), `a code lens with the layout and peak, got ${JSON.stringify(titles)}`);

    // The harness hovers the squiggle with the mouse and takes the screenshot now.
    fs.writeFileSync(path.join(DIR, 'ready.json'), JSON.stringify({ line: d.range.start.line, character: d.range.start.character }));
    await waitFor('the screenshot', () => fs.existsSync(path.join(DIR, 'screenshot-done')));

    // The commands: the resolved plan opens as Markdown; a restarted server publishes again.
    await vscode.commands.executeCommand('recipeLens.showPlan');
    const plan = await waitFor('the plan document', () => vscode.workspace.textDocuments.find((t) => t.languageId === 'markdown' && t.getText().startsWith(`# Recipe Lens: ${FILE}`)));
    step('showPlan', plan.getText().split('\n').slice(0, 3));
    check(/\| `batch\.micro` \| 4 \| literal \(line 12\)/.test(plan.getText()), 'the plan lists batch.micro with its line');
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('recipeLens.restartServer');
    await waitFor('diagnostics after a restart', () => ours().length === 1);
    step('restarted');

    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    step('codeActions', actions.map((a) => ({ title: a.title, isPreferred: a.isPreferred })));
    const preferred = actions.filter((a) => a.isPreferred);
    check(preferred.length === 1 && preferred[0].edit, 'one preferred quick fix with an edit');
    check(await vscode.workspace.applyEdit(preferred[0].edit), 'VS Code applied the edit');
    step('applied', editor.document.getText().split('\n').filter((l) => l.includes('tensor_model_parallel_size')));
    await waitFor('the diagnostics to clear', () => ours().length === 0);
    step('cleared');

    // Explore Layouts on another recipe: the harness clicks the first row's Apply in the webview.
    const other = vscode.Uri.joinPath(folder.uri, 'llama3_70b_pretrain_slurm.py');
    const otherEditor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(other));
    const before = otherEditor.document.getText();
    await vscode.commands.executeCommand('recipeLens.exploreLayouts', other.toString(), 0);
    fs.writeFileSync(path.join(DIR, 'layouts-open'), '');
    await waitFor('the layout to be applied', () => otherEditor.document.getText() !== before);
    const errors = () => vscode.languages.getDiagnostics(other).filter((x) => x.source === 'recipe-lens' && x.severity === vscode.DiagnosticSeverity.Error);
    await sleep(1500);
    step('layoutApplied', otherEditor.document.getText().split('\n').filter((l, i) => l !== before.split('\n')[i]));
    check(errors().length === 0, `no error after applying a layout, got ${errors().map((x) => x.message).join('; ')}`);
    report.ok = true;
  } catch (e) {
    report.error = String((e && e.stack) || e);
  }
  fs.writeFileSync(path.join(DIR, 'result.json'), JSON.stringify(report, null, 2));
}

exports.activate = () => {
  if (DIR) void run();
};
exports.deactivate = () => undefined;
