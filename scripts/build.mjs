// Bundles the entry points with esbuild into dist/ (the CLI, the language server, and the VS Code
// extension's client; the server as its bundle, server-core.js, and the small entry that runs it
// through the code cache, server.js: see server/src/boot/) and copies the two wasm files beside
// them, where the bundled code looks for them (server/src/parse/nodeWasm.ts). gpus.json is inside
// the bundles, as the object esbuild makes of a JSON file; the two recipe catalogs (1.2 MB) are
// JSON texts beside them, parsed a part at a time (see jsonText below). `--minify` for the
// packaged extension; `--outdir DIR` to build elsewhere.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lazyJsonModule } from './lazyJson.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The recipe catalogs become modules whose objects parse each property from its own JSON text when
 * it is first read (scripts/lazyJson.mjs), not the object literal esbuild makes of JSON: JSON.parse
 * is V8's fastest way to build the objects, and an analysis reads a few recipes out of 1.2 MB. The
 * texts are files beside the bundles (nemo-recipes.txt, bridge-recipes.txt), read on first use; as
 * string literals in the server's bundle they were read, and deserialised from its code cache, at
 * every start. The sources require() the catalogs on first use (server/src/catalog/nemoRecipes.ts),
 * so esbuild wraps each in a function that runs only then, and a server whose files never name a
 * recipe reads neither.
 */
const jsonText = {
  name: 'json-text',
  setup(b) {
    b.onLoad({ filter: /[\\/]server[\\/]catalog[\\/](nemo|bridge)-recipes\.json$/ }, (args) => {
      const textFile = basename(args.path, '.json') + '.txt';
      const { module, text } = lazyJsonModule(readFileSync(args.path, 'utf8'), textFile);
      writeFileSync(join(dist, textFile), text, 'latin1');
      return { contents: module, loader: 'js' };
    });
  },
};

/**
 * vscode-languageserver and vscode-jsonrpc require `crypto` (for random pipe names and progress
 * tokens) and `child_process` (to find globally installed modules) when they load, which Node
 * compiles for 5 to 8 ms of every server start, while the server uses neither. In the bundles they
 * become objects that require the module on first use; so the server never even loads
 * child_process. Only for those two packages: the VS Code client does fork its server.
 */
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^(crypto|child_process)$/ }, (args) => (/[\\/]node_modules[\\/](vscode-languageserver|vscode-jsonrpc)[\\/]/.test(args.importer) ? { path: args.path, namespace: 'lazy-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: [
        'let loaded;',
        `const load = () => (loaded ??= require('node:${args.path}'));`,
        // Every way of reading the module loads it: a property, `in`, or copying its keys.
        'module.exports = new Proxy({}, {',
        '  get: (_, key) => load()[key],',
        '  has: (_, key) => key in load(),',
        '  ownKeys: () => Reflect.ownKeys(load()),',
        '  getOwnPropertyDescriptor: (_, key) => (key in load() ? { value: load()[key], writable: false, enumerable: true, configurable: true } : undefined),',
        '});',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

const require = createRequire(import.meta.url);
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outdirArg = process.argv.indexOf('--outdir');
const dist = outdirArg > 0 ? process.argv[outdirArg + 1] : join(root, 'dist');
mkdirSync(dist, { recursive: true });

const common = {
  // The extension host provides `vscode`.
  external: ['vscode'],
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { cli: join(root, 'server/src/cli/main.ts'), 'server-core': join(root, 'server/src/lsp/main.ts'), client: join(root, 'client/src/extension.ts') },
  // web-tree-sitter's CommonJS build: its ES module build imports node's `module` with a dynamic
  // import(), which fails in a script run from V8's code cache on Node 20 (the cache does not keep
  // the script's loader for import()), and server-core.js runs so (server/src/boot/codeCache.ts).
  // The one import() left in the CommonJS build reads a grammar from a path; the server hands bytes.
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
  define: { __VERSION__: JSON.stringify(version) },
  plugins: [jsonText, lazyBuiltins],
});

/**
 * esbuild escapes every character outside ASCII in code, but copies comments as they are: one
 * em dash in a comment of zod's made the whole server bundle a string of two-byte characters when
 * read, 4.7 MB instead of 2.3 MB for V8 to keep, and twice as slow to read at every start. The
 * escapes written here are inside comments, where they change nothing.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(file, ascii);
}
for (const name of ['cli', 'server-core', 'client']) asciiOnly(join(dist, `${name}.js`));

// The entry names the build of the bundle it runs, so that a cache made for another is not used.
const coreId = createHash('sha256').update(readFileSync(join(dist, 'server-core.js'))).digest('hex').slice(0, 32);
await build({ ...common, entryPoints: { server: join(root, 'server/src/boot/serverEntry.ts') }, define: { __SERVER_CORE_ID__: JSON.stringify(coreId) } });

copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), join(dist, 'web-tree-sitter.wasm'));
copyFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'), join(dist, 'tree-sitter-python.wasm'));
