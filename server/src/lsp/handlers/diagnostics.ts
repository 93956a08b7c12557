// textDocument/publishDiagnostics (push) and textDocument/diagnostic (pull): one generator, used
// by whichever the client supports.
import type { Connection } from 'vscode-languageserver/node';
import { DocumentDiagnosticReportKind } from '../languageServer';
import { toLspDiagnostic } from '../convert';
import type { ServerContext } from '../server';
import type { OpenDocument } from '../workspace';

function diagnosticsOf(ctx: ServerContext, entry: OpenDocument) {
  return ctx.workspace.analysis(entry).diagnostics.map((d) => toLspDiagnostic(d, entry.uri, ctx.features));
}

export function registerDiagnostics(connection: Connection, ctx: ServerContext): { schedule(uri: string): void } {
  const pending = new Map<string, ReturnType<typeof setImmediate>>();
  const publish = (uri: string) => {
    const entry = ctx.workspace.get(uri);
    if (entry) void connection.sendDiagnostics({ uri, version: entry.version, diagnostics: diagnosticsOf(ctx, entry) });
  };
  connection.languages.diagnostics.on((params) => {
    const entry = ctx.workspace.get(params.textDocument.uri);
    return { kind: DocumentDiagnosticReportKind.Full, items: entry ? diagnosticsOf(ctx, entry) : [] };
  });
  return {
    schedule(uri: string) {
      if (ctx.features.pullDiagnostics) return;
      clearImmediate(pending.get(uri));
      // A later change replaces this one before it runs: only the latest text is analysed.
      pending.set(
        uri,
        setImmediate(() => {
          pending.delete(uri);
          publish(uri);
        }),
      );
    },
  };
}
