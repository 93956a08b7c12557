// The npm package, as pre-commit and git installs get it (`npm pack`, .npmignore): the launcher and
// the bundles only, and enough to run `recipe-lens check` and `recipe-lens server` from the
// unpacked tarball alone.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startClient } from '../lsp/harness';

const ROOT = join(__dirname, '..', '..');

describe('the npm package', { timeout: 120_000 }, () => {
  let work: string;
  let files: string[];
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'recipe-lens-pack-'));
    // The bundles are built by `npm test` already; --ignore-scripts keeps pack from rebuilding
    // them under the feet of the other tests.
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    files = info!.files.map((f) => f.path).sort();
    const untar = spawnSync('tar', ['-xzf', join(work, info!.filename), '-C', work], { encoding: 'utf8' });
    assert.equal(untar.status, 0, untar.stderr);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('holds the launcher and the bundles, and no sources or tests', () => {
    assert.deepEqual(files, ['CHANGELOG.md', 'LICENSE', 'README.md', 'bin/recipe-lens.js', 'dist/bridge-recipes.txt', 'dist/cli.js', 'dist/nemo-recipes.txt', 'dist/server-core.js', 'dist/server.js', 'dist/tree-sitter-python.wasm', 'dist/web-tree-sitter.wasm', 'package.json']);
  });

  it('runs recipe-lens server from the unpacked package alone', async () => {
    const client = await startClient({ serverArgs: [join(work, 'package', 'bin', 'recipe-lens.js'), 'server', '--stdio'], env: { NODE_PATH: '' } });
    try {
      const uri = 'file:///pack/recipe.py';
      const published = client.diagnostics(uri);
      client.open(uri, readFileSync(join(ROOT, 'examples', 'llama3_70b_sft_broken_world.py'), 'utf8'));
      assert.ok((await published).some((d) => d.code === 'RL101'));
    } finally {
      await client.close();
    }
  });

  it('runs recipe-lens check from the unpacked package alone', () => {
    const recipe = join(work, 'recipe.py');
    copyFileSync(join(ROOT, 'examples', 'llama3_70b_sft_broken_world.py'), recipe);
    const r = spawnSync(process.execPath, [join(work, 'package', 'bin', 'recipe-lens.js'), 'check', recipe], { cwd: work, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /RL101 \[error\]/);
    assert.deepEqual(readdirSync(join(work, 'package')).sort(), ['CHANGELOG.md', 'LICENSE', 'README.md', 'bin', 'dist', 'package.json']);
  });
});
