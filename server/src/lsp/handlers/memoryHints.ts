// textDocument/inlayHint and textDocument/codeLens: the memory of each job where it is created,
// as an inlay hint after the statement and as a code lens above it (with "Explore layouts" beside
// it in clients that run that command).
import type { Connection } from 'vscode-languageserver/node';
import { InlayHintKind } from '../languageServer';
import { memoryHints, memoryLenses } from '../../analysis/lenses';
import type { ServerContext } from '../server';
import { EXPLORE_LAYOUTS_COMMAND } from '../protocol';

export function registerMemoryHints(connection: Connection, ctx: ServerContext): void {
  connection.languages.inlayHint.on((params) => {
    const entry = ctx.workspace.get(params.textDocument.uri);
    if (!entry || !ctx.workspace.settings.inlayHints.enable) return [];
    const { start, end } = params.range;
    return memoryHints(ctx.workspace.analysis(entry))
      .filter((h) => h.position.line >= start.line && h.position.line <= end.line)
      .map((h) => ({ position: h.position, label: h.label, kind: InlayHintKind.Type, paddingLeft: true, tooltip: h.tooltip }));
  });
  connection.onCodeLens((params) => {
    const entry = ctx.workspace.get(params.textDocument.uri);
    if (!entry || !ctx.workspace.settings.codeLens.enable) return [];
    // An informational lens (its command does nothing but show the title), and, for clients that
    // run it, one that opens "Explore layouts" for the job.
    return memoryLenses(ctx.workspace.analysis(entry)).flatMap((l, job) => [
      { range: l.range, command: { title: l.title, command: '' } },
      ...(ctx.features.exploreLayouts ? [{ range: l.range, command: { title: 'Explore layouts', command: EXPLORE_LAYOUTS_COMMAND, arguments: [params.textDocument.uri, job] } }] : []),
    ]);
  });
}
