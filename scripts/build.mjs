// Bundles the entry points with esbuild into dist/ (the CLI, the language server, and the VS Code
// extension's client) and copies the two wasm files beside them, where the bundled code looks for
// them (server/src/parse/nodeWasm.ts). The catalogs are inside the bundles: gpus.json as the
// object esbuild makes of a JSON file, the two recipe catalogs (1.2 MB) as JSON text parsed a
// part at a time (see jsonText below). `--minify` for the packaged extension; `--outdir DIR` to build elsewhere.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lazyJsonModule } from './lazyJson.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The recipe catalogs become modules whose objects parse each property from its own JSON text when
 * it is first read (scripts/lazyJson.mjs), not the object literal esbuild makes of JSON: V8 scans a
 * string literal far faster than it parses the same data as JavaScript, JSON.parse is its fastest
 * way to build the objects, and an analysis reads a few recipes out of 1.2 MB. The sources
 * require() them on first use (server/src/catalog/nemoRecipes.ts), so esbuild wraps each in a
 * function that runs only then, and a server whose files never name a recipe never builds them.
 */
const jsonText = {
  name: 'json-text',
  setup(b) {
    b.onLoad({ filter: /[\\/]server[\\/]catalog[\\/](nemo|bridge)-recipes\.json$/ }, (args) => ({ contents: lazyJsonModule(readFileSync(args.path, 'utf8')), loader: 'js' }));
  },
};

const require = createRequire(import.meta.url);
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outdirArg = process.argv.indexOf('--outdir');
const dist = outdirArg > 0 ? process.argv[outdirArg + 1] : join(root, 'dist');
mkdirSync(dist, { recursive: true });

await build({
  entryPoints: { cli: join(root, 'server/src/cli/main.ts'), server: join(root, 'server/src/lsp/start.ts'), client: join(root, 'client/src/extension.ts') },
  // The extension host provides `vscode`.
  external: ['vscode'],
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  minify: process.argv.includes('--minify'),
  // web-tree-sitter's ESM build locates files through import.meta.url, which a CommonJS bundle
  // does not have; give it the bundle's own URL.
  define: { __VERSION__: JSON.stringify(version), 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [jsonText],
  logLevel: 'warning',
});

copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), join(dist, 'web-tree-sitter.wasm'));
copyFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'), join(dist, 'tree-sitter-python.wasm'));
