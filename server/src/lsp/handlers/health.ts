// recipeLens/serverHealth: heap and resident memory of the server and how many documents it holds.
import type { Connection } from 'vscode-languageserver/node';
import { HEALTH_REQUEST, type HealthResponse } from '../protocol';
import type { ServerContext } from '../server';

export function registerHealth(connection: Connection, ctx: ServerContext): void {
  connection.onRequest(HEALTH_REQUEST, (): HealthResponse => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const m = process.memoryUsage();
    return { heapUsedBytes: m.heapUsed, rssBytes: m.rss, openDocuments: ctx.workspace.all().length, collected: gc !== undefined };
  });
}
