// The entry of dist/server.js, which the VS Code client and `recipe-lens server` run: loads the
// language server's bundle (dist/server-core.js, built from lsp/main.ts) through the code cache
// and starts it. Kept apart from that bundle, and small, because it runs before the cache can help.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { namesTransport, TRANSPORT_MISSING } from '../lsp/transport';
import { codeCacheDir, loadBundle } from './codeCache';
import { compileNodeWasm } from '../parse/nodeWasm';

/** A hash of dist/server-core.js, written in by scripts/build.mjs. */
declare const __SERVER_CORE_ID__: string;

function home(): string {
  try {
    return homedir();
  } catch {
    // No HOME and no password entry: the cache is off unless RECIPE_LENS_CODE_CACHE names a place.
    return '';
  }
}

if (!namesTransport(process.argv.slice(2))) {
  process.stderr.write(TRANSPORT_MISSING + '\n');
  process.exit(2);
}
// One background thread, not one per core, for V8 to compile the parser's wasm with its optimising
// compiler once it runs hot: the parser's lexer and parse tables are large functions, and on a
// machine of two cores the tasks took both while the first file was parsed and analysed, which
// made those take one and a half to two times as long. Set before the grammar is compiled and
// before the bundle's code cache is read or made, so that both see the same flags.
setFlagsFromString('--wasm-num-compilation-tasks=1');
// The parser's wasm compiles on that thread while this one loads the bundle: compiled when the
// server first asks for its parser, it held up the answer to `initialize` by one to two ms.
const wasm = compileNodeWasm();
const bundle = loadBundle(join(__dirname, 'server-core.js'), __SERVER_CORE_ID__, codeCacheDir(process.env, process.platform, home()));
const { startNodeServer } = bundle.exports as typeof import('../lsp/main');
startNodeServer({ warmedUp: () => bundle.save(), codeCache: () => ({ ...bundle.cache }), wasm });
