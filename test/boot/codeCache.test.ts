// The loader of the server bundle: where its code cache lives, and that a bundle run through it
// behaves as require() would, with the cache made, used, refused and rewritten as it should be.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { codeCacheDir, codeCacheFile, loadBundle } from '../../server/src/boot/codeCache';

describe('the code cache directory', () => {
  it('is the one RECIPE_LENS_CODE_CACHE names, and none when it says off or nothing', () => {
    assert.equal(codeCacheDir({ RECIPE_LENS_CODE_CACHE: '/srv/cache' }, 'linux', '/home/a'), '/srv/cache');
    assert.equal(codeCacheDir({ RECIPE_LENS_CODE_CACHE: 'off' }, 'linux', '/home/a'), undefined);
    assert.equal(codeCacheDir({ RECIPE_LENS_CODE_CACHE: '' }, 'linux', '/home/a'), undefined);
  });

  it("is otherwise the platform's cache directory for the user", () => {
    assert.equal(codeCacheDir({}, 'linux', '/home/a'), join('/home/a', '.cache', 'recipe-lens'));
    assert.equal(codeCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/a'), join('/xdg', 'recipe-lens'));
    assert.equal(codeCacheDir({}, 'darwin', '/Users/a'), join('/Users/a', 'Library', 'Caches', 'recipe-lens'));
    assert.equal(codeCacheDir({ LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32', 'C:\\Users\\a'), join('C:\\Users\\a\\AppData\\Local', 'recipe-lens', 'Cache'));
  });

  it('is none where the user has no home to put it in', () => {
    assert.equal(codeCacheDir({}, 'linux', ''), undefined);
    assert.equal(codeCacheDir({}, 'win32', ''), undefined);
  });
});

describe('a bundle run through the code cache', () => {
  let work: string;
  let cacheDir: string;
  let copies = 0;
  const source = "'use strict';\nconst { join } = require('node:path');\nexports.where = join(__dirname, 'x');\nexports.calls = [1, 2, 3].map((n) => n * 2);\nmodule.exports.self = module.filename;\n";

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'recipe-lens-code-cache-'));
    cacheDir = join(work, 'cache');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  /**
   * The bundle under a new name each time: V8 keeps the scripts it compiled in a process, by text
   * and name, and one compiled again takes no notice of the cached data it is given.
   */
  function bundleFile(): string {
    const file = join(work, `bundle-${++copies}.js`);
    writeFileSync(file, source);
    return file;
  }

  it('gets the exports, require, __dirname and module that require() gives it', () => {
    const bundle = bundleFile();
    const loaded = loadBundle(bundle, 'build-1', undefined);
    assert.deepEqual(loaded.exports, { where: join(work, 'x'), calls: [2, 4, 6], self: bundle });
    assert.deepEqual(loaded.cache, { file: undefined, state: 'off' });
    loaded.save();
    assert.equal(loaded.cache.state, 'off');
  });

  it('writes the cache after a run without one, readable by the user alone, and uses it the next time', () => {
    const first = loadBundle(bundleFile(), 'build-1', cacheDir);
    const file = codeCacheFile(cacheDir, 'server');
    assert.deepEqual(first.cache, { file, state: 'none' });
    first.save();
    assert.equal(first.cache.state, 'written');
    if (process.platform !== 'win32') {
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
    }
    const second = loadBundle(bundleFile(), 'build-1', cacheDir);
    assert.equal(second.cache.state, 'used');
    assert.deepEqual((second.exports as { calls: number[] }).calls, [2, 4, 6]);
    // A cache in use is not written again.
    const before = readFileSync(file);
    second.save();
    assert.equal(second.cache.state, 'used');
    assert.deepEqual(readFileSync(file), before);
  });

  it("does not use another build's cache, and replaces it", () => {
    const other = loadBundle(bundleFile(), 'build-2', cacheDir);
    assert.equal(other.cache.state, 'none');
    other.save();
    assert.equal(other.cache.state, 'written');
    assert.equal(loadBundle(bundleFile(), 'build-2', cacheDir).cache.state, 'used');
    assert.equal(loadBundle(bundleFile(), 'build-1', cacheDir).cache.state, 'none');
  });

  it('runs from source when V8 refuses the cached data, and writes it anew', () => {
    const file = codeCacheFile(cacheDir, 'server');
    const header = readFileSync(file).subarray(0, 64);
    writeFileSync(file, Buffer.concat([header, Buffer.from('not what V8 wrote'.repeat(20))]), { mode: 0o600 });
    const refused = loadBundle(bundleFile(), 'build-2', cacheDir);
    assert.equal(refused.cache.state, 'rejected');
    assert.deepEqual((refused.exports as { calls: number[] }).calls, [2, 4, 6]);
    refused.save();
    assert.equal(refused.cache.state, 'written');
    assert.equal(loadBundle(bundleFile(), 'build-2', cacheDir).cache.state, 'used');
  });

  it('does not read a cache that others could have written', { skip: process.platform === 'win32' ? 'no POSIX modes' : false }, () => {
    const file = codeCacheFile(cacheDir, 'server');
    chmodSync(file, 0o666);
    assert.equal(loadBundle(bundleFile(), 'build-2', cacheDir).cache.state, 'none');
    chmodSync(file, 0o600);
    assert.equal(loadBundle(bundleFile(), 'build-2', cacheDir).cache.state, 'used');
  });

  it('goes on without a cache where it cannot write one', () => {
    const blocked = join(work, 'blocked');
    writeFileSync(blocked, 'a file where the directory would be');
    const loaded = loadBundle(bundleFile(), 'build-1', join(blocked, 'cache'));
    assert.equal(loaded.cache.state, 'none');
    loaded.save();
    assert.equal(loaded.cache.state, 'unwritable');
    assert.equal(existsSync(join(blocked, 'cache')), false);
    mkdirSync(join(work, 'empty'));
    assert.equal(loadBundle(bundleFile(), 'build-1', join(work, 'empty')).cache.state, 'none');
  });
});
