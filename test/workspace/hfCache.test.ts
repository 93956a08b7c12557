// Reading a model's config.json from the local Hugging Face cache, laid out as huggingface_hub lays
// it out in a real temporary folder: the cache directory from the environment, snapshots found
// through refs/main, and everything that must not be read refused with a reason.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hfCacheDir, readHfConfig } from '../../server/src/workspace/hfCache';

const COMMIT = 'a'.repeat(40);

describe('hfCacheDir', () => {
  it('follows HF_HUB_CACHE, then HF_HOME, then the home folder', () => {
    assert.equal(hfCacheDir({ HF_HUB_CACHE: '/data/hub', HF_HOME: '/data/hf' }, '/home/u'), '/data/hub');
    assert.equal(hfCacheDir({ HF_HOME: '/data/hf' }, '/home/u'), '/data/hf/hub');
    assert.equal(hfCacheDir({}, '/home/u'), '/home/u/.cache/huggingface/hub');
  });

  it('honours the older and XDG spellings, and expands ~', () => {
    assert.equal(hfCacheDir({ HUGGINGFACE_HUB_CACHE: '/old/hub', HF_HOME: '/data/hf' }, '/home/u'), '/old/hub');
    assert.equal(hfCacheDir({ XDG_CACHE_HOME: '/xdg' }, '/home/u'), '/xdg/huggingface/hub');
    assert.equal(hfCacheDir({ HF_HOME: '~/hf' }, '/home/u'), '/home/u/hf/hub');
    assert.equal(hfCacheDir({ HF_HUB_CACHE: '' }, '/home/u'), '/home/u/.cache/huggingface/hub');
  });
});

describe('readHfConfig', () => {
  let base: string;
  let cache: string;
  /** A model folder as huggingface_hub writes it: the snapshot's config.json links to a blob. */
  const model = (id: string, config: string, options: { ref?: string | null; commit?: string } = {}) => {
    const repo = join(cache, `models--${id.replace('/', '--')}`);
    const commit = options.commit ?? COMMIT;
    mkdirSync(join(repo, 'blobs'), { recursive: true });
    mkdirSync(join(repo, 'snapshots', commit), { recursive: true });
    writeFileSync(join(repo, 'blobs', `blob-${commit}`), config);
    symlinkSync(join('..', '..', 'blobs', `blob-${commit}`), join(repo, 'snapshots', commit, 'config.json'));
    if (options.ref !== null) {
      mkdirSync(join(repo, 'refs'), { recursive: true });
      writeFileSync(join(repo, 'refs', 'main'), options.ref ?? commit);
    }
    return repo;
  };

  before(() => {
    base = mkdtempSync(join(tmpdir(), 'hf-cache-'));
    cache = join(base, 'hub');
    mkdirSync(cache);
    model('Qwen/Qwen3-8B', JSON.stringify({ hidden_size: 4096, num_hidden_layers: 36 }));
    model('meta-llama/Llama-3.1-8B', JSON.stringify({ hidden_size: 4096 }), { ref: null });
    const two = model('org/two-snapshots', '{}', { ref: null });
    mkdirSync(join(two, 'snapshots', 'b'.repeat(40)));
    model('org/bad-json', '{"hidden_size": 4096,');
    model('org/array', '[1, 2]');
    model('org/huge', JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }));
    model('org/bad-ref', '{}', { ref: '../../../../etc' });
    writeFileSync(join(base, 'secret.json'), '{"secret": true}');
    const escaping = join(cache, 'models--org--escape', 'snapshots', COMMIT);
    mkdirSync(escaping, { recursive: true });
    mkdirSync(join(cache, 'models--org--escape', 'refs'));
    writeFileSync(join(cache, 'models--org--escape', 'refs', 'main'), COMMIT);
    symlinkSync(join(base, 'secret.json'), join(escaping, 'config.json'));
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('reads the snapshot refs/main names', () => {
    const result = readHfConfig('Qwen/Qwen3-8B', cache);
    assert.deepEqual(result, { config: { hidden_size: 4096, num_hidden_layers: 36 }, path: join(cache, 'models--Qwen--Qwen3-8B', 'snapshots', COMMIT, 'config.json') });
  });

  it('reads the only snapshot when there is no refs/main, and not one of several', () => {
    assert.deepEqual(readHfConfig('meta-llama/Llama-3.1-8B', cache), {
      config: { hidden_size: 4096 },
      path: join(cache, 'models--meta-llama--Llama-3.1-8B', 'snapshots', COMMIT, 'config.json'),
    });
    const two = readHfConfig('org/two-snapshots', cache);
    assert.ok('reason' in two && two.reason.includes('2 snapshots'), JSON.stringify(two));
  });

  it('says so, in words, when the model is not in the cache or there is no cache', () => {
    assert.deepEqual(readHfConfig('Qwen/Qwen3-32B', cache), { reason: `no config.json for Qwen/Qwen3-32B in the Hugging Face cache (${cache})` });
    assert.deepEqual(readHfConfig('Qwen/Qwen3-8B', join(base, 'nope')), { reason: `no Hugging Face cache at ${join(base, 'nope')}` });
  });

  it('refuses ids that are paths or step out of the cache', () => {
    for (const id of ['../secret', 'org/..', '../../x/y', 'org/../../secret', '/abs/path', './local/model', 'a/b/c', 'Qwen3-8B', '']) {
      const result = readHfConfig(id, cache);
      assert.ok('reason' in result && result.reason.includes('not a Hugging Face model id'), `${id}: ${JSON.stringify(result)}`);
    }
  });

  it('refuses a config.json linking outside the cache and a refs/main that is not a commit', () => {
    const escape = readHfConfig('org/escape', cache);
    assert.ok('reason' in escape && escape.reason.includes('outside the cache'), JSON.stringify(escape));
    const badRef = readHfConfig('org/bad-ref', cache);
    assert.ok('reason' in badRef && badRef.reason.includes('commit hash'), JSON.stringify(badRef));
  });

  it('gives a reason for malformed JSON, a non-object and a file over 1 MB', () => {
    for (const [id, words] of [['org/bad-json', 'not valid JSON'], ['org/array', 'not a JSON object'], ['org/huge', 'larger than 1 MB']] as const) {
      const result = readHfConfig(id, cache);
      assert.ok('reason' in result && result.reason.includes(words), `${id}: ${JSON.stringify(result)}`);
    }
  });
});
