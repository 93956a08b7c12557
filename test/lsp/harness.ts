// An LSP client for tests: starts the built server over stdio exactly as an editor would
// (`node bin/recipe-lens.js server --stdio`), performs initialize, and collects notifications.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { ClientCapabilities, Diagnostic, PublishDiagnosticsParams, ShowMessageParams } from 'vscode-languageserver-protocol';

const BIN = join(__dirname, '..', '..', 'bin', 'recipe-lens.js');

export interface Client {
  connection: MessageConnection;
  process: ChildProcess;
  messages: ShowMessageParams[];
  /** Refresh requests the server sent (inlay hints, code lenses). */
  refreshes: string[];
  /** Methods the server registered dynamically (client/registerCapability). */
  registrations: string[];
  /** Resolves with the next diagnostics published for `uri` that satisfy `accept`. */
  diagnostics(uri: string, accept?: (d: Diagnostic[], version?: number) => boolean): Promise<Diagnostic[]>;
  open(uri: string, text: string, languageId?: string): void;
  change(uri: string, version: number, changes: { range?: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }[]): void;
  close(): Promise<void>;
}

export const DEFAULT_CAPABILITIES: ClientCapabilities = {
  textDocument: {
    publishDiagnostics: { relatedInformation: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
    hover: { contentFormat: ['markdown'] },
  },
  workspace: { configuration: false },
};

export async function startClient(options: { capabilities?: ClientCapabilities; settings?: unknown; initializationOptions?: Record<string, unknown>; configuration?: (section: string) => unknown; serverArgs?: string[]; rootUri?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Client> {
  // By default the CLI's `server --stdio`; `serverArgs` starts another entry (a packaged server).
  // The code cache is off unless a test turns it on: tests write nothing into the user's home.
  const child = spawn(process.execPath, options.serverArgs ?? [BIN, 'server', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, RECIPE_LENS_CODE_CACHE: 'off', ...options.env } });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; accept: (d: Diagnostic[], v?: number) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  const messages: ShowMessageParams[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.accept(p.diagnostics, p.version)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p.diagnostics);
      }
    }
  });
  connection.onNotification('window/showMessage', (p: ShowMessageParams) => {
    messages.push(p);
  });
  const refreshes: string[] = [];
  for (const method of ['workspace/inlayHint/refresh', 'workspace/codeLens/refresh']) connection.onRequest(method, () => void refreshes.push(method));
  const registrations: string[] = [];
  connection.onRequest('client/registerCapability', (p: { registrations: { method: string }[] }) => void registrations.push(...p.registrations.map((r) => r.method)));
  connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => options.configuration?.(i.section ?? '') ?? null));
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: options.rootUri ?? null, capabilities: options.capabilities ?? DEFAULT_CAPABILITIES, initializationOptions: { ...options.initializationOptions, ...(options.settings === undefined ? {} : { settings: options.settings }) } });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    process: child,
    messages,
    refreshes,
    registrations,
    diagnostics(uri, accept = () => true) {
      return new Promise((resolve) => waiters.push({ uri, accept, resolve }));
    },
    open(uri, text, languageId = 'python') {
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    },
    change(uri, version, changes) {
      void connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    },
    async close() {
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      await new Promise((r) => child.once('exit', r));
      connection.dispose();
    },
  };
}
