// The VS Code extension: starts the bundled language server (dist/server.js) over IPC for Python
// files, shows the state of the server and the current file's layout in a language status item,
// and contributes the commands of the "Recipe Lens" category. Everything else (diagnostics,
// hovers, hints, lenses, fixes) comes from the server through vscode-languageclient.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { layoutsHtml } from './layoutsHtml';
import { EXPLORE_LAYOUTS_COMMAND, LAYOUTS_REQUEST, PLAN_REQUEST, STATUS_REQUEST, type LayoutsResponse, type PlanResponse, type StatusResponse } from '../../server/src/lsp/protocol';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Recipe Lens', { log: true });
  const module = context.asAbsolutePath('dist/server.js');
  // The server keeps V8's code cache of its bundle in the extension's storage. NODE_EXTRA_CA_CERTS
  // is left out: Node reads and parses the certificates it names before the server starts, and the
  // server opens no connection. (vscode-languageclient adds the rest of the environment; a key set
  // to undefined is not passed on.)
  const env = { RECIPE_LENS_CODE_CACHE: join(context.globalStorageUri.fsPath, 'code-cache'), NODE_EXTRA_CA_CERTS: undefined };
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env } },
    debug: { module, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Any scheme: the server analyses the text the editor sends; for Megatron-Bridge files on disk it
    // also reads the workspace's launch scripts and lock files, and the Hugging Face cache.
    documentSelector: [{ language: 'python' }],
    outputChannel: output,
    synchronize: { configurationSection: 'recipeLens' },
    // The server adds code lenses for the commands the client runs.
    initializationOptions: { clientCommands: [EXPLORE_LAYOUTS_COMMAND] },
  };
  client = new LanguageClient('recipeLens', 'Recipe Lens', serverOptions, clientOptions);

  const status = vscode.languages.createLanguageStatusItem('recipeLens.status', { language: 'python' });
  status.name = 'Recipe Lens';
  status.text = '$(sync~spin) Recipe Lens';
  status.command = { title: 'Show Logs', command: 'recipeLens.showOutput' };
  const refreshStatus = () => void updateStatus(status);
  context.subscriptions.push(
    output,
    status,
    client.onDidChangeState(refreshStatus),
    vscode.window.onDidChangeActiveTextEditor(refreshStatus),
    vscode.languages.onDidChangeDiagnostics(refreshStatus),
    vscode.commands.registerCommand('recipeLens.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('recipeLens.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('recipeLens.showPlan', () => showPlan()),
    vscode.commands.registerCommand(EXPLORE_LAYOUTS_COMMAND, (uri?: string, job?: number) => exploreLayouts(uri, job)),
  );
  await client.start();
  refreshStatus();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** The language status item: the server's state, and the active file's layout and peak memory. */
async function updateStatus(status: vscode.LanguageStatusItem): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || client.state !== State.Running) {
    status.text = client?.state === State.Starting ? '$(sync~spin) Recipe Lens' : '$(error) Recipe Lens';
    status.detail = client?.state === State.Starting ? 'starting' : 'the server is not running';
    status.severity = client?.state === State.Starting ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Error;
    status.command = { title: 'Restart', command: 'recipeLens.restartServer' };
    return;
  }
  status.command = { title: 'Show Logs', command: 'recipeLens.showOutput' };
  if (!editor || editor.document.languageId !== 'python') return;
  try {
    const r = await client.sendRequest<StatusResponse>(STATUS_REQUEST, { textDocument: { uri: editor.document.uri.toString() } });
    status.text = r.text;
    status.detail = r.detail;
    status.severity = r.severity === 'error' ? vscode.LanguageStatusSeverity.Error : r.severity === 'warning' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
  } catch {
    status.text = 'Recipe Lens';
    status.detail = undefined;
  }
}

/** "Recipe Lens: Show the Resolved Plan": the active file's plans as a Markdown preview. */
async function showPlan(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor) {
    void vscode.window.showInformationMessage('Recipe Lens: open a Python recipe first.');
    return;
  }
  const r = await client.sendRequest<PlanResponse>(PLAN_REQUEST, { textDocument: { uri: editor.document.uri.toString() } });
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: r.markdown });
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
}

/**
 * "Recipe Lens: Explore Layouts": the ranked valid layouts that fit, for a job of the file (the
 * first when run from the palette), in a webview table; a row's Apply button applies it.
 */
async function exploreLayouts(uri?: string, job = 0): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
  if (!client || !target) {
    void vscode.window.showInformationMessage('Recipe Lens: open a Python recipe first.');
    return;
  }
  const file = decodeURIComponent(target.slice(target.lastIndexOf('/') + 1));
  const panel = vscode.window.createWebviewPanel('recipeLens.layouts', `Layouts: ${file}`, vscode.ViewColumn.Beside, { enableScripts: true });
  const render = async () => {
    const response = await client!.sendRequest<LayoutsResponse>(LAYOUTS_REQUEST, { textDocument: { uri: target }, job });
    panel.webview.html = layoutsHtml(file, response, nonce());
    return response;
  };
  let response = await render();
  panel.webview.onDidReceiveMessage(async (message: { apply?: number }) => {
    const row = message.apply !== undefined ? response.rows[message.apply] : undefined;
    if (!row || !client) return;
    await vscode.workspace.applyEdit(await client.protocol2CodeConverter.asWorkspaceEdit(row.edit));
    response = await render();
  });
}

function nonce(): string {
  return Array.from({ length: 32 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 62)]).join('');
}
