// The Megatron-Bridge version a workspace pins: exact pins in each file kind, ranges and malformed
// files ignored, the nearest directory winning.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findPinnedBridgeVersion, pinnedBridgeVersion } from '../../server/src/workspace/bridgeVersion';

describe('pinnedBridgeVersion in requirements files', () => {
  it('reads exact pins under any PEP 503 spelling of the name', () => {
    assert.deepEqual(pinnedBridgeVersion('requirements.txt', 'torch>=2.4\nmegatron-bridge==0.3.0\n'), { version: '0.3.0', line: 1 });
    assert.deepEqual(pinnedBridgeVersion('requirements-dev.txt', '# pins\nMegatron_Bridge == 0.5.1  # tested\n'), { version: '0.5.1', line: 1 });
    assert.deepEqual(pinnedBridgeVersion('constraints.txt', 'megatron.bridge[extra]===0.2.0rc6 ; python_version >= "3.10"\n'), { version: '0.2.0rc6', line: 0 });
    assert.deepEqual(pinnedBridgeVersion('requirements.txt', 'megatron-bridge==0.6.0.dev0 \\\n    --hash=sha256:abc\n'), { version: '0.6.0.dev0', line: 0 });
  });

  it('reads the Bridge repository at a release tag', () => {
    assert.deepEqual(pinnedBridgeVersion('requirements.txt', 'git+https://github.com/NVIDIA-NeMo/Megatron-Bridge.git@v0.3.0#egg=megatron-bridge\n'), { version: '0.3.0', line: 0 });
    assert.deepEqual(pinnedBridgeVersion('requirements.txt', 'megatron-bridge @ git+https://github.com/NVIDIA-NeMo/Megatron-Bridge.git@v0.2.0rc6\n'), { version: '0.2.0rc6', line: 0 });
    assert.equal(pinnedBridgeVersion('requirements.txt', 'megatron-bridge @ git+https://github.com/NVIDIA-NeMo/Megatron-Bridge.git@main\n'), undefined);
  });

  it('does not take ranges, compatible releases, wildcards, comments or other packages as pins', () => {
    for (const line of ['megatron-bridge>=0.3', 'megatron-bridge~=0.3.0', 'megatron-bridge==0.3.*', 'megatron-bridge!=0.3.0', '# megatron-bridge==0.3.0', 'megatron-bridge-extras==1.0.0', 'megatron-core==0.14.0']) {
      assert.equal(pinnedBridgeVersion('requirements.txt', line + '\n'), undefined, line);
    }
  });

  it('reads only the file kinds it knows', () => {
    assert.equal(pinnedBridgeVersion('setup.py', 'megatron-bridge==0.3.0'), undefined);
    assert.equal(pinnedBridgeVersion('deps.txt', 'megatron-bridge==0.3.0'), undefined);
  });
});

describe('pinnedBridgeVersion in pyproject.toml', () => {
  it('reads [project] dependencies over several lines', () => {
    const toml = '[project]\nname = "mine"\ndependencies = [\n  "torch>=2.4",  # any\n  "megatron-bridge==0.5.1",\n]\n';
    assert.deepEqual(pinnedBridgeVersion('pyproject.toml', toml), { version: '0.5.1', line: 4 });
    assert.deepEqual(pinnedBridgeVersion('pyproject.toml', "[project]\ndependencies = ['megatron_bridge==0.1.0a0']\n"), { version: '0.1.0a0', line: 1 });
  });

  it('reads exact [tool.poetry.dependencies] forms only', () => {
    assert.deepEqual(pinnedBridgeVersion('pyproject.toml', '[tool.poetry.dependencies]\npython = "^3.10"\nmegatron-bridge = "==0.3.0"\n'), { version: '0.3.0', line: 2 });
    assert.deepEqual(pinnedBridgeVersion('pyproject.toml', '[tool.poetry.dependencies]\nmegatron-bridge = "0.3.0"\n'), { version: '0.3.0', line: 1 });
    assert.deepEqual(pinnedBridgeVersion('pyproject.toml', '[tool.poetry.dependencies]\nmegatron-bridge = { version = "0.4.0", extras = ["x"] }\n'), { version: '0.4.0', line: 1 });
    assert.equal(pinnedBridgeVersion('pyproject.toml', '[tool.poetry.dependencies]\nmegatron-bridge = "^0.3.0"\n'), undefined);
    assert.equal(pinnedBridgeVersion('pyproject.toml', '[tool.poetry.dependencies]\nmegatron-bridge = ">=0.3"\n'), undefined);
  });

  it('ignores pins outside those tables and gives undefined for an array or string that never closes', () => {
    assert.equal(pinnedBridgeVersion('pyproject.toml', '[tool.other]\ndependencies = ["megatron-bridge==0.3.0"]\n'), undefined);
    assert.equal(pinnedBridgeVersion('pyproject.toml', '[project]\ndependencies = [\n  "megatron-bridge==0.3.0",\n'), undefined);
    assert.equal(pinnedBridgeVersion('pyproject.toml', '[project]\ndependencies = ["megatron-bridge==0.3.0]\n'), undefined);
  });
});

describe('pinnedBridgeVersion in lock files', () => {
  it('reads the megatron-bridge [[package]] of uv.lock and poetry.lock', () => {
    const uv = 'version = 1\n\n[[package]]\nname = "megatron-core"\nversion = "0.14.0"\n\n[[package]]\nname = "megatron-bridge"\nversion = "0.5.1"\nsource = { registry = "https://pypi.org/simple" }\n';
    assert.deepEqual(pinnedBridgeVersion('uv.lock', uv), { version: '0.5.1', line: 8 });
    const poetry = '[[package]]\nname = "megatron_bridge"\nversion = "0.2.0rc6"\n\n[package.dependencies]\ntorch = ">=2"\n';
    assert.deepEqual(pinnedBridgeVersion('poetry.lock', poetry), { version: '0.2.0rc6', line: 2 });
  });

  it('does not take a version from a sub-table or a package without one', () => {
    assert.equal(pinnedBridgeVersion('uv.lock', '[[package]]\nname = "megatron-bridge"\n\n[package.metadata]\nversion = "0.5.1"\n'), undefined);
    assert.equal(pinnedBridgeVersion('uv.lock', '[[package]]\nname = "megatron-bridge\nversion = "0.5.1"\n'), undefined);
  });

  it('reads Pipfile.lock JSON and gives undefined for malformed JSON', () => {
    const lock = JSON.stringify({ _meta: {}, default: { torch: { version: '==2.4.0' } }, develop: { 'Megatron-Bridge': { version: '==0.5.1' } } }, null, 4);
    assert.deepEqual(pinnedBridgeVersion('Pipfile.lock', lock), { version: '0.5.1', line: 8 });
    assert.equal(pinnedBridgeVersion('Pipfile.lock', '{"default": {"megatron-bridge": {"version": "==0.5.1"}'), undefined);
    assert.equal(pinnedBridgeVersion('Pipfile.lock', '{"default": {"megatron-bridge": {"version": "*"}}}'), undefined);
  });
});

describe('findPinnedBridgeVersion', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'bridge-version-'));
    mkdirSync(join(root, 'repo', 'sub', 'deep'), { recursive: true });
    mkdirSync(join(root, 'repo', 'other'), { recursive: true });
    writeFileSync(join(root, 'requirements.txt'), 'megatron-bridge==0.1.0\n');
    writeFileSync(join(root, 'repo', 'pyproject.toml'), '[project]\ndependencies = ["megatron-bridge>=0.3"]\n');
    writeFileSync(join(root, 'repo', 'requirements.txt'), 'megatron-bridge==0.3.0\n');
    writeFileSync(join(root, 'repo', 'sub', 'requirements.txt'), 'megatron-bridge==0.5.1\n');
    writeFileSync(join(root, 'repo', 'sub', 'uv.lock'), '[[package]]\nname = "megatron-bridge"\nversion = "0.6.0"\n');
    writeFileSync(join(root, 'repo', 'other', 'pyproject.toml'), '[project]\ndependencies = [\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('takes the nearest directory, lock files before requirements', () => {
    assert.deepEqual(findPinnedBridgeVersion(join(root, 'repo', 'sub', 'deep')), { version: '0.6.0', file: join(root, 'repo', 'sub', 'uv.lock'), line: 2 });
  });

  it('passes over files without an exact pin, malformed ones included', () => {
    assert.deepEqual(findPinnedBridgeVersion(join(root, 'repo')), { version: '0.3.0', file: join(root, 'repo', 'requirements.txt'), line: 0 });
    assert.deepEqual(findPinnedBridgeVersion(join(root, 'repo', 'other')), { version: '0.3.0', file: join(root, 'repo', 'requirements.txt'), line: 0 });
  });

  it('stops at stopAt, inclusive', () => {
    assert.equal(findPinnedBridgeVersion(join(root, 'repo', 'other'), join(root, 'repo', 'other')), undefined);
    assert.equal(findPinnedBridgeVersion(join(root, 'repo', 'other'), join(root, 'repo'))?.version, '0.3.0');
    assert.equal(findPinnedBridgeVersion(join(root, 'repo', 'other'), root)?.version, '0.3.0');
  });

  it('walks up from a directory that does not exist, and gives undefined when nothing pins', () => {
    assert.equal(findPinnedBridgeVersion(join(root, 'nope', 'deeper'), root)?.version, '0.1.0');
    assert.equal(findPinnedBridgeVersion(join(root, 'nope'), join(root, 'nope')), undefined);
  });
});
