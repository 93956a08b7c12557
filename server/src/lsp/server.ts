// The language server: the only layer that knows LSP. It wires the handlers (one file per LSP
// method under handlers/) to the workspace and the editor-free analysis core.
import type { Connection, InitializeParams, InitializeResult } from 'vscode-languageserver/node';
import { DidChangeWatchedFilesNotification, TextDocumentSyncKind } from './languageServer';
import { fileURLToPath } from 'node:url';
import type { WasmSources } from '../parse/treeSitter';
import { loadPython, newPythonParser } from '../parse/treeSitter';
import { clientFeatures, type ClientFeatures } from './capabilities';
import { FIX_ALL_KIND, registerCodeActions } from './handlers/codeActions';
import { registerConfiguration } from './handlers/configuration';
import { registerDiagnostics } from './handlers/diagnostics';
import { registerHover } from './handlers/hover';
import { registerMemoryHints } from './handlers/memoryHints';
import { registerPlanView } from './handlers/planView';
import { registerLayouts } from './handlers/layouts';
import { registerHealth } from './handlers/health';
import { Workspace } from './workspace';
import type { HealthResponse } from './protocol';

export interface ServerContext {
  workspace: Workspace;
  features: ClientFeatures;
  host: ServerHost;
}

/** What the process that runs the server offers it (see boot/serverEntry.ts). */
export interface ServerHost {
  /** Called once, when the warm-up analyses have run: the code a session needs is compiled. */
  warmedUp?(): void;
  /** What the code cache did in this process, for the health request. */
  codeCache?(): HealthResponse['codeCache'];
  /** The parser's wasm, when the host started compiling it before the server was loaded. */
  wasm?: Promise<WasmSources>;
}

declare const __VERSION__: string | undefined;

/** The files whose content can change a Bridge job's version or world (see workspace/). */
const SURROUNDING_FILES = ['**/*.{sh,bash,sbatch,slurm,md}', '**/Makefile', '**/{uv.lock,poetry.lock,Pipfile.lock,pyproject.toml}', '**/{requirements,constraints}*.txt'];

/** The workspace folders as paths (file: URIs only), else the root. */
function workspaceRoots(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  return uris.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
}

export function startServer(connection: Connection, wasm: WasmSources | Promise<WasmSources>, host: ServerHost = {}): void {
  const parserReady = Promise.resolve(wasm).then(loadPython).then(newPythonParser);
  let ctx: ServerContext | undefined;
  let initialSettings: unknown;

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    const features = clientFeatures(params.capabilities ?? {}, params.initializationOptions);
    ctx = { workspace: new Workspace(await parserReady, (message) => connection.console.error(message)), features, host };
    ctx.workspace.roots = workspaceRoots(params);
    initialSettings = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
    const diagnostics = registerDiagnostics(connection, ctx);
    const config = registerConfiguration(connection, ctx, () => {
      for (const entry of ctx!.workspace.all()) diagnostics.schedule(entry.uri);
      // The GPU may have changed: hints and lenses show its memory.
      // A client that fails the request keeps its old hints; that is no reason to stop.
      if (features.inlayHintRefresh) connection.languages.inlayHint.refresh().catch(() => undefined);
      if (features.codeLensRefresh) connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    });
    registerCodeActions(connection, ctx);
    registerHover(connection, ctx);
    registerMemoryHints(connection, ctx);
    registerPlanView(connection, ctx);
    registerLayouts(connection, ctx);
    registerHealth(connection, ctx);
    connection.onInitialized(() => {
      void config.load(initialSettings);
      ctx!.workspace.warmUp(() => host.warmedUp?.());
      // Launch scripts and lock files decide the world and the version of Bridge jobs: watch them.
      if (features.watchedFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: SURROUNDING_FILES.map((globPattern) => ({ globPattern })) }).catch(() => undefined);
    });
    connection.onDidChangeWatchedFiles(() => {
      ctx!.workspace.invalidate();
      for (const entry of ctx!.workspace.all()) diagnostics.schedule(entry.uri);
    });
    connection.onDidOpenTextDocument(({ textDocument: t }) => {
      ctx!.workspace.didOpen(t.uri, t.languageId, t.version, t.text);
      diagnostics.schedule(t.uri);
    });
    connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
      if (ctx!.workspace.didChange(textDocument.uri, textDocument.version, contentChanges)) diagnostics.schedule(textDocument.uri);
    });
    connection.onDidCloseTextDocument(({ textDocument }) => {
      ctx!.workspace.didClose(textDocument.uri);
      if (!features.pullDiagnostics) void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
    });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND] },
        hoverProvider: true,
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        ...(features.pullDiagnostics ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
      },
      serverInfo: { name: 'recipe-lens', version: typeof __VERSION__ === 'string' ? __VERSION__ : 'development' },
    };
  });
  connection.listen();
}
