// The entry of the language server's own bundle (dist/server.js, which the VS Code client runs):
// starts the server. main.ts only exports startNodeServer, so the CLI bundle, which includes it
// for `recipe-lens server --stdio`, does not start a server when run as a script itself.
import { startNodeServer } from './main';

startNodeServer();
