// The packaged extension: builds the minified bundles into a scratch folder, packages them with
// vsce as `npm run package` does, checks what the .vsix holds (and what it must not), and starts
// the server from the unpacked .vsix as VS Code would run it, over stdio.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readZip, type ZipEntry } from '../helpers/zip';
import { startClient } from '../lsp/harness';

const ROOT = join(__dirname, '..', '..');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('the .vsix', { timeout: 180_000 }, () => {
  let entries: ZipEntry[];
  let vsixBytes: number;
  let unpacked: string;
  let work: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'recipe-lens-vsix-'));
    // The project's shipped files, and a fresh minified build in place of dist/ (which other
    // tests are using).
    for (const f of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'images', 'syntaxes']) cpSync(join(ROOT, f), join(work, f), { recursive: true });
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--minify', '--outdir', join(work, 'dist')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    const vsix = join(work, `recipe-lens-${version}.vsix`);
    const vsce = spawnSync(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', vsix], { cwd: work, encoding: 'utf8' });
    assert.equal(vsce.status, 0, vsce.stdout + vsce.stderr);
    const data = readFileSync(vsix);
    vsixBytes = data.length;
    entries = readZip(data);
    unpacked = join(work, 'unpacked');
    for (const e of entries) {
      mkdirSync(dirname(join(unpacked, e.name)), { recursive: true });
      writeFileSync(join(unpacked, e.name), e.read());
    }
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('holds the bundles, the catalogs, the wasm files, the grammar, the icon and the documents, and nothing else', () => {
    const names = entries.map((e) => e.name).sort();
    for (const f of ['dist/client.js', 'dist/server.js', 'dist/server-core.js', 'dist/nemo-recipes.txt', 'dist/bridge-recipes.txt', 'dist/web-tree-sitter.wasm', 'dist/tree-sitter-python.wasm', 'syntaxes/recipe-lens-comments.tmLanguage.json', 'images/icon.png', 'package.json', 'readme.md', 'changelog.md', 'LICENSE.txt']) {
      assert.ok(names.includes(`extension/${f}`), `extension/${f} missing from ${names.join(', ')}`);
    }
    assert.deepEqual(names.filter((n) => /node_modules|\/src\/|\/test\/|\.ts$|\.map$|\/examples\/|\/docs\//.test(n)), []);
    // The GPU catalog is inside the server bundle; the recipe catalogs' texts are beside it.
    const read = (name: string) => entries.find((e) => e.name === `extension/dist/${name}`)!.read().toString('latin1');
    assert.ok(read('server-core.js').includes('h100-nvl-94gb'), 'the GPU catalog is bundled');
    assert.ok(read('nemo-recipes.txt').includes('"Llama3Config70B"') && read('bridge-recipes.txt').includes('GPTModelProvider'), 'the recipe catalogs ship');
  });

  it('is under 3 MB', () => {
    assert.ok(vsixBytes < 3 * 1024 * 1024, `${vsixBytes} bytes`);
  });

  it('contributes the client, the commands, the settings and the grammar', () => {
    const manifest = JSON.parse(entries.find((e) => e.name === 'extension/package.json')!.read().toString('utf8'));
    assert.equal(manifest.main, './dist/client.js');
    assert.deepEqual(manifest.activationEvents, ['onLanguage:python']);
    assert.deepEqual(manifest.contributes.commands.map((c: { command: string }) => c.command).sort(), ['recipeLens.exploreLayouts', 'recipeLens.restartServer', 'recipeLens.showOutput', 'recipeLens.showPlan']);
    assert.ok(manifest.contributes.configuration.properties['recipeLens.gpu']);
    assert.equal(manifest.contributes.grammars[0].injectTo[0], 'source.python');
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
  });

  it('starts its server from the unpacked package, which answers initialize and analyses a file', async () => {
    const client = await startClient({ serverArgs: [join(unpacked, 'extension', 'dist', 'server.js'), '--stdio'] });
    try {
      const uri = 'file:///work/packaged.py';
      const waiting = client.diagnostics(uri);
      client.open(uri, readFileSync(join(ROOT, 'examples', 'llama3_70b_sft_broken_world.py'), 'utf8'));
      assert.deepEqual((await waiting).map((d) => d.code), ['RL101']);
    } finally {
      await client.close();
    }
  });
});
