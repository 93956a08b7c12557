// The server never runs the user's code and never starts a process. Statically: no module of the
// server imports child_process, worker_threads or vm, or calls eval / new Function, except the
// loader of the code cache, which imports vm to compile the file it is given, which the server's
// entry names as the bundle beside it. At run time: a whole session (NeMo and Megatron-Bridge
// recipes in a workspace with launch scripts and a lock file, code that would do harm if run,
// every request the server answers, the code cache read and written) under a preload that makes
// every process, thread and code-compiling API record the attempt and throw, but for the
// compilation of dist/server-core.js itself.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { dedent } from '../helpers/analyze';
import { startClient, type Client } from './harness';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'recipe-lens.js');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : name.endsWith('.ts') ? [full] : [];
  });
}

describe('the server starts no process and runs no code', { timeout: 60_000 }, () => {
  it('imports nothing that could, and compiles no code at run time', () => {
    const loader = join(ROOT, 'server', 'src', 'boot', 'codeCache.ts');
    for (const file of [...sources(join(ROOT, 'server', 'src')), ...sources(join(ROOT, 'client', 'src'))]) {
      const text = readFileSync(file, 'utf8');
      const imports = file === loader ? /(child_process|worker_threads|cluster)['"]/ : /from ['"](node:)?(child_process|worker_threads|vm|cluster)['"]|require\(['"](node:)?(child_process|worker_threads|vm|cluster)['"]\)/;
      assert.doesNotMatch(text, imports, file);
      // A call to the global eval (the interpreter's own `eval` method is declared and called as `this.eval`).
      const globalEval = text.split('\n').some((line) => /(^|[^.\w])eval\(/.test(line) && !/^\s*(private |public |protected )?eval\(/.test(line));
      assert.equal(globalEval, false, `${file} calls eval`);
      assert.doesNotMatch(text, /new Function\(/, file);
    }
    // The loader compiles one text, the file its caller names, read whole, as require() would.
    const text = readFileSync(loader, 'utf8');
    assert.deepEqual(text.match(/new Script\(.*/g), ['new Script(wrap(source), { filename: file, cachedData });']);
    assert.match(text, /const source = readFileSync\(file, 'latin1'\);/);
    assert.match(readFileSync(join(ROOT, 'server', 'src', 'boot', 'serverEntry.ts'), 'utf8'), /loadBundle\(join\(__dirname, 'server-core\.js'\)/);
  });

  describe('a session under a guard', () => {
    let root: string;
    let log: string;
    let client: Client;
    before(async () => {
      root = mkdtempSync(join(tmpdir(), 'recipe-lens-guard-'));
      log = join(root, 'forbidden.log');
      writeFileSync(join(root, 'requirements.txt'), 'megatron-bridge==0.5.1\n');
      writeFileSync(join(root, 'launch.sh'), 'torchrun --nproc_per_node=8 bridge.py\n');
      client = await startClient({
        serverArgs: ['--require', join(__dirname, 'forbidProcesses.cjs'), BIN, 'server', '--stdio'],
        env: { RECIPE_LENS_FORBIDDEN_LOG: log, RECIPE_LENS_CODE_CACHE: join(root, 'code-cache') },
        rootUri: pathToFileURL(root).href,
      });
    });
    after(async () => {
      await client.close();
      rmSync(root, { recursive: true, force: true });
    });

    it('analyses, hovers, fixes and searches without starting anything', async () => {
      // Code that would start processes, if anything ran it.
      const nemo = dedent(`
        import os, subprocess
        import nemo_run as run
        from nemo.collections import llm
        subprocess.run(["touch", "${join(root, 'ran').replace(/\\/g, '/')}"])
        os.system("touch ${join(root, 'ran').replace(/\\/g, '/')}")
        recipe = llm.llama3_8b.pretrain_recipe(num_nodes=1, num_gpus_per_node=8)
        recipe.trainer.strategy.tensor_model_parallel_size = 3
        run.run(recipe, executor=run.LocalExecutor(ntasks_per_node=8, launcher="torchrun"))
      `);
      const bridge = dedent(`
        from megatron.bridge import AutoBridge
        from megatron.bridge.recipes.llama import llama3_8b_pretrain_config
        from megatron.bridge.training.gpt_step import forward_step
        from megatron.bridge.training.pretrain import pretrain
        cfg = llama3_8b_pretrain_config()
        cfg.model = AutoBridge.from_hf_pretrained("acme/unknown-model").to_megatron_provider()
        cfg.model.tensor_model_parallel_size = 3
        pretrain(cfg, forward_step)
      `);
      for (const [name, text] of [['nemo.py', nemo], ['bridge.py', bridge]] as const) {
        writeFileSync(join(root, name), text);
        const uri = pathToFileURL(join(root, name)).href;
        const published = client.diagnostics(uri);
        client.open(uri, text);
        const diagnostics = await published;
        await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 4 } });
        await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics } });
        await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } } });
        await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
        await client.connection.sendRequest('recipeLens/plan', { textDocument: { uri } });
        await client.connection.sendRequest('recipeLens/layouts', { textDocument: { uri }, job: 0 });
      }
      assert.equal(existsSync(log) ? readFileSync(log, 'utf8') : '', '');
      assert.equal(existsSync(join(root, 'ran')), false);
    });
  });
});
