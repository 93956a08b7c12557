// textDocument/codeAction: quick fixes rebuilt from the diagnostics in the request (their
// candidate fixes travel in `data`) and proven here, by re-analysing the fixed text, before they
// are offered; and source.fixAll.recipe-lens, which applies proven fixes one after the other.
import type { CodeAction, Connection } from 'vscode-languageserver/node';
import { CodeActionKind } from '../languageServer';
import { analyzeText } from '../../analysis/analyze';
import { countsOf, provenFixes } from '../../analysis/fixes';
import { bestLayoutFix, LAYOUT_FIX_CODES } from '../../analysis/layoutFix';
import type { Fix } from '../../rules/diagnostic';
import { applyEdits } from '../../fixes/edits';
import { quickFix, SOURCE, type DiagnosticData } from '../convert';
import type { OpenDocument } from '../workspace';
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
      const analysis = ctx.workspace.analysis(entry);
      const before = countsOf(analysis);
      const reanalyse = (fixed: string) => analyzeText(ctx.workspace.parser, fixed, { ...ctx.workspace.analysisOptions(entry), verifyFixes: false });
      // The best layout of each job, searched once per request.
      const bestLayouts = new Map<number, Fix | undefined>();
      for (const d of params.context.diagnostics) {
        if (d.source !== SOURCE || typeof d.code !== 'string') continue;
        const data = d.data as DiagnosticData | undefined;
        const proven = provenFixes(data?.fixes ?? [], d.code, text, before, reanalyse);
        const job = data?.plan;
        const plan = job !== undefined ? analysis.plans[job] : undefined;
        if (plan && LAYOUT_FIX_CODES.has(d.code)) {
          if (!bestLayouts.has(job!)) bestLayouts.set(job!, bestLayoutFix(analysis.plans, job!, analysis.memory[job!], ctx.workspace.analysisOptions(entry).rules!, text, reanalyse));
          const fix = bestLayouts.get(job!);
          const best = fix ? provenFixes([fix], d.code, text, before, reanalyse)[0] : undefined;
          if (best) proven.push({ ...best, preferred: proven.length === 0 });
        }
        for (const fix of proven) actions.push(quickFix(params.textDocument.uri, d, fix));
      }
    }
    if (wants(FIX_ALL_KIND)) {
      if (entry) {
        const original = entry.doc.text;
        const fixed = fixAll(ctx, entry, original);
        if (fixed !== original) {
          const end = entry.doc.lines.positionAt(original.length);
          actions.push({ title: 'Fix all Recipe Lens problems', kind: FIX_ALL_KIND, edit: { changes: { [entry.uri]: [{ range: { start: { line: 0, character: 0 }, end }, newText: fixed }] } } });
        }
      }
    }
    return actions;
  });
}

function fixAll(ctx: ServerContext, entry: OpenDocument, text: string): string {
  const options = ctx.workspace.analysisOptions(entry);
  let current = text;
  for (let step = 0; step < MAX_FIX_ALL_STEPS; step++) {
    const fix = analyzeText(ctx.workspace.parser, current, options).diagnostics.flatMap((d) => d.fixes.filter((f) => f.preferred))[0];
    if (!fix) break;
    current = applyEdits(current, fix.edits);
  }
  return current;
}
