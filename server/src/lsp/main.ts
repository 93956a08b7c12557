// Starting the language server under Node: `--stdio` or `--node-ipc` (vscode-languageserver reads the
// transport from the command line), as `recipe-lens server --stdio` and the VS Code client start it.
import { createConnection, ProposedFeatures } from './languageServer';
import { nodeWasmSources } from '../parse/nodeWasm';
import { startServer, type ServerHost } from './server';

export function startNodeServer(host: ServerHost = {}): void {
  startServer(createConnection(ProposedFeatures.all), nodeWasmSources(), host);
}

