// recipeLens/serverHealth: heap and resident memory of the server, how many documents it holds, and
// what its code cache did.
import type { Connection } from 'vscode-languageserver/node';
import { HEALTH_REQUEST, type HealthResponse } from '../protocol';
import type { ServerContext } from '../server';

export function registerHealth(connection: Connection, ctx: ServerContext): void {
  connection.onRequest(HEALTH_REQUEST, (): HealthResponse => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const m = process.memoryUsage();
    const codeCache = ctx.host.codeCache?.();
    return { heapUsedBytes: m.heapUsed, rssBytes: m.rss, openDocuments: ctx.workspace.all().length, collected: gc !== undefined, ...(codeCache ? { codeCache } : {}) };
  });
}
