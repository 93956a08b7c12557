// `npm run bench`: bundles the benchmarks with esbuild, as the shipped code is bundled, and runs
// them (tsx would add its own per-function overhead to the numbers).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bench', 'analysis.bench.js');
await build({
  entryPoints: [join(root, 'bench', 'analysis.bench.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, [out, '--root', root], { stdio: 'inherit' });
process.exit(r.status ?? 1);
