// recipeLens/plan and recipeLens/status: the resolved plans as Markdown for "Show the Resolved
// Plan", and the one-line summary of the VS Code language status item.
import type { Connection } from 'vscode-languageserver/node';
import { planMarkdown, statusSummary } from '../../analysis/planView';
import { PLAN_REQUEST, STATUS_REQUEST, type PlanResponse, type StatusResponse } from '../protocol';
import type { ServerContext } from '../server';

interface Params {
  textDocument: { uri: string };
}

export function registerPlanView(connection: Connection, ctx: ServerContext): void {
  connection.onRequest(PLAN_REQUEST, ({ textDocument }: Params): PlanResponse => {
    const entry = ctx.workspace.get(textDocument.uri);
    const name = decodeURIComponent(textDocument.uri.slice(textDocument.uri.lastIndexOf('/') + 1));
    if (!entry) return { markdown: `# Recipe Lens: ${name}\n\nThe file is not open.\n` };
    return { markdown: planMarkdown(ctx.workspace.analysis(entry), name) };
  });
  connection.onRequest(STATUS_REQUEST, ({ textDocument }: Params): StatusResponse => {
    const entry = ctx.workspace.get(textDocument.uri);
    if (!entry) return { text: 'Recipe Lens', detail: 'the file is not open', severity: 'information' };
    return statusSummary(ctx.workspace.analysis(entry));
  });
}
