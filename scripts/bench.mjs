// `npm run bench`: bundles the benchmarks with esbuild, as the shipped code is bundled, and runs
// them (tsx would add its own per-function overhead to the numbers).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: { analysis: join(root, 'bench', 'analysis.bench.ts'), lsp: join(root, 'bench', 'lsp.bench.ts'), memory: join(root, 'bench', 'memory.bench.ts'), search: join(root, 'bench', 'search.bench.ts'), peer: join(root, 'bench', 'peer.bench.ts') },
  outdir: join(root, 'dist', 'bench'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
for (const name of ['analysis', 'lsp', 'memory', 'search', 'peer']) {
  const r = spawnSync(process.execPath, [join(root, 'dist', 'bench', `${name}.js`), '--root', root], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
