// textDocument/codeAction: quick fixes rebuilt from the diagnostics in the request (their
// candidate fixes travel in `data`) and proven here, by re-analysing the fixed text, before they
// are offered; and source.fixAll.recipe-lens, which applies proven fixes one after the other.
import { CodeActionKind, type CodeAction, type Connection } from 'vscode-languageserver/node';
import { analyzeText } from '../../analysis/analyze';
import { countsOf, provenFixes } from '../../analysis/fixes';
import { applyEdits } from '../../fixes/edits';
import { quickFix, SOURCE, type DiagnosticData } from '../convert';
import type { ServerContext } from '../server';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.${SOURCE}`;

/** Fixes applied by one fix-all at most (each costs an analysis). */
const MAX_FIX_ALL_STEPS = 20;

export function registerCodeActions(connection: Connection, ctx: ServerContext): void {
  connection.onCodeAction((params): CodeAction[] => {
    const only = params.context.only;
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
    const actions: CodeAction[] = [];
    const entry = ctx.workspace.get(params.textDocument.uri);
    if (wants(CodeActionKind.QuickFix) && entry) {
      const text = entry.doc.text;
      const before = countsOf(ctx.workspace.analysis(entry));
      for (const d of params.context.diagnostics) {
        if (d.source !== SOURCE || typeof d.code !== 'string') continue;
        const data = d.data as DiagnosticData | undefined;
        for (const fix of provenFixes(data?.fixes ?? [], d.code, text, before, (fixed) => analyzeText(ctx.workspace.parser, fixed, { ...ctx.workspace.analysisOptions(), verifyFixes: false }))) {
          actions.push(quickFix(params.textDocument.uri, d, fix));
        }
      }
    }
    if (wants(FIX_ALL_KIND)) {
      if (entry) {
        const original = entry.doc.text;
        const fixed = fixAll(ctx, original);
        if (fixed !== original) {
          const end = entry.doc.lines.positionAt(original.length);
          actions.push({ title: 'Fix all Recipe Lens problems', kind: FIX_ALL_KIND, edit: { changes: { [entry.uri]: [{ range: { start: { line: 0, character: 0 }, end }, newText: fixed }] } } });
        }
      }
    }
    return actions;
  });
}

function fixAll(ctx: ServerContext, text: string): string {
  const options = ctx.workspace.analysisOptions();
  let current = text;
  for (let step = 0; step < MAX_FIX_ALL_STEPS; step++) {
    const fix = analyzeText(ctx.workspace.parser, current, options).diagnostics.flatMap((d) => d.fixes.filter((f) => f.preferred))[0];
    if (!fix) break;
    current = applyEdits(current, fix.edits);
  }
  return current;
}
