// recipeLens/layouts: "Explore layouts" for a job of a file: the ten best valid layouts that fit,
// each with the workspace edit that applies it (proven by re-analysis before it is listed).
import type { Connection } from 'vscode-languageserver/node';
import { layoutRows } from '../../analysis/layoutsView';
import { LAYOUTS_REQUEST, type LayoutsParams, type LayoutsResponse } from '../protocol';
import type { ServerContext } from '../server';

const ROWS = 10;

export function registerLayouts(connection: Connection, ctx: ServerContext): void {
  connection.onRequest(LAYOUTS_REQUEST, ({ textDocument, job }: LayoutsParams): LayoutsResponse => {
    const entry = ctx.workspace.get(textDocument.uri);
    if (!entry) return { reason: 'the file is not open', rows: [] };
    const rows = layoutRows(ctx.workspace.parser, entry.doc.text, ctx.workspace.analysis(entry), job, ctx.workspace.analysisOptions(entry), { top: ROWS });
    if (typeof rows === 'string') return { reason: rows, rows: [] };
    return {
      ...(rows.length ? {} : { reason: 'no layout every rule accepts fits in memory' }),
      rows: rows.map((r) => ({ title: r.title, stepSeconds: r.stepSeconds, roomy: r.roomy, changes: r.changes, edit: { changes: { [textDocument.uri]: r.edits } } })),
    };
  });
}
