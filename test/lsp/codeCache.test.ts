// The built server and its code cache, started as an editor starts it (`recipe-lens server --stdio`)
// and under the guard of noProcess.test.ts: the first session writes the cache once its warm-up
// has run, the next one starts from it and gives the same diagnostics, and neither compiles
// anything but the server's own bundle.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HEALTH_REQUEST, type HealthResponse } from '../../server/src/lsp/protocol';
import { dedent } from '../helpers/analyze';
import { startClient, type Client } from './harness';

const BIN = join(__dirname, '..', '..', 'bin', 'recipe-lens.js');

const RECIPE = dedent(`
  from nemo.collections import llm
  recipe = llm.llama3_70b.pretrain_recipe(num_nodes=2, num_gpus_per_node=8)
  recipe.trainer.strategy.tensor_model_parallel_size = 3
`);

async function health(client: Client): Promise<HealthResponse> {
  return (await client.connection.sendRequest(HEALTH_REQUEST)) as HealthResponse;
}

describe('the code cache of the built server', { timeout: 60_000 }, () => {
  let work: string;
  let cache: string;
  let log: string;
  const start = () =>
    startClient({
      serverArgs: ['--require', join(__dirname, 'forbidProcesses.cjs'), BIN, 'server', '--stdio'],
      env: { RECIPE_LENS_FORBIDDEN_LOG: log, RECIPE_LENS_CODE_CACHE: cache },
    });
  const session = async (client: Client) => {
    const uri = 'file:///recipes/pretrain.py';
    const published = client.diagnostics(uri);
    client.open(uri, RECIPE);
    return (await published).map((d) => `${d.range.start.line}:${d.code} ${d.message}`);
  };

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'recipe-lens-cache-session-'));
    cache = join(work, 'cache');
    log = join(work, 'forbidden.log');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('is written by the first session after its warm-up, and used by the next', async () => {
    const first = await start();
    let diagnostics: string[];
    try {
      diagnostics = await session(first);
      assert.ok(diagnostics.some((d) => d.includes('RL')), diagnostics.join('\n'));
      let state = (await health(first)).codeCache?.state;
      for (let waited = 0; state === 'none' && waited < 20_000; waited += 100) {
        await new Promise((r) => setTimeout(r, 100));
        state = (await health(first)).codeCache?.state;
      }
      assert.equal(state, 'written');
    } finally {
      await first.close();
    }
    const second = await start();
    let codeCache: HealthResponse['codeCache'];
    try {
      assert.deepEqual(await session(second), diagnostics);
      codeCache = (await health(second)).codeCache;
    } finally {
      await second.close();
    }
    assert.equal(codeCache?.state, 'used');
    const file = codeCache.file!;
    assert.equal(file.startsWith(cache), true);
    assert.ok(statSync(file).size > 100_000, 'the cache holds the compiled server');
    assert.equal(existsSync(log) ? readFileSync(log, 'utf8') : '', '');
  });
});
