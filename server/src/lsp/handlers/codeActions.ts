// textDocument/codeAction: quick fixes rebuilt from the diagnostics in the request (their fixes
// travel in `data`), and source.fixAll.recipe-lens, which applies preferred fixes one after the
// other, re-analysing in between, as long as each still applies.
import { CodeActionKind, type CodeAction, type Connection } from 'vscode-languageserver/node';
import { analyzeText } from '../../analysis/analyze';
import { ruleSettings } from '../../config/settings';
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
    if (wants(CodeActionKind.QuickFix)) {
      for (const d of params.context.diagnostics) {
        if (d.source !== SOURCE) continue;
        const data = d.data as DiagnosticData | undefined;
        for (const fix of data?.fixes ?? []) actions.push(quickFix(params.textDocument.uri, d, fix));
      }
    }
    if (wants(FIX_ALL_KIND)) {
      const entry = ctx.workspace.get(params.textDocument.uri);
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
  const options = { rules: ruleSettings(ctx.workspace.settings) };
  let current = text;
  for (let step = 0; step < MAX_FIX_ALL_STEPS; step++) {
    const fix = analyzeText(ctx.workspace.parser, current, options).diagnostics.flatMap((d) => d.fixes.filter((f) => f.preferred))[0];
    if (!fix) break;
    current = applyEdits(current, fix.edits);
  }
  return current;
}
