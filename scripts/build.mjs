// Bundles the entry points with esbuild into dist/ (the CLI, the language server, and the VS Code
// extension's client) and copies the two wasm files beside them, where the bundled code looks for
// them (server/src/parse/nodeWasm.ts). The catalogs are JSON imported by the code, so they are
// inside the bundles. `--minify` for the packaged extension; `--outdir DIR` to build elsewhere.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outdirArg = process.argv.indexOf('--outdir');
const dist = outdirArg > 0 ? process.argv[outdirArg + 1] : join(root, 'dist');
mkdirSync(dist, { recursive: true });

await build({
  entryPoints: { cli: join(root, 'server/src/cli/main.ts'), server: join(root, 'server/src/lsp/main.ts'), client: join(root, 'client/src/extension.ts') },
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
  logLevel: 'warning',
});

copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), join(dist, 'web-tree-sitter.wasm'));
copyFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'), join(dist, 'tree-sitter-python.wasm'));
