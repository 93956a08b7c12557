// Starting the language server under Node: `--stdio` or `--node-ipc` (vscode-languageserver reads the
// transport from the command line). The export of the server's bundle, dist/server-core.js, which
// the entry (boot/serverEntry.ts) runs for the VS Code client and `recipe-lens server`.
import { createConnection, ProposedFeatures } from './languageServer';
import { nodeWasmSources } from '../parse/nodeWasm';
import { startServer, type ServerHost } from './server';

export function startNodeServer(host: ServerHost = {}): void {
  startServer(createConnection(ProposedFeatures.all), host.wasm ?? nodeWasmSources(), host);
}
