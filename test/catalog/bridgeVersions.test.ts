// Megatron-Bridge versions: their order and the recipe API era each belongs to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bridgeEraOfVersion, compareVersions } from '../../server/src/catalog/bridgeVersions';

describe('bridgeEraOfVersion', () => {
  it('places each release in its era', () => {
    const eras: [string, string | undefined][] = [
      ['0.1.0a0', 'A'],
      ['0.1.0', 'A'],
      ['0.1.3', 'A'],
      ['0.2.0rc0', 'A'],
      ['0.2.0rc5', 'A'],
      ['0.2.0rc6', 'B'],
      ['v0.2.0rc6', 'B'],
      ['0.2.0', 'B'],
      ['0.2.2', 'B'],
      ['0.3.0', 'B'],
      ['0.3.0.post1', 'B'],
      ['0.3.1', 'C'],
      ['0.4.0', 'C'],
      ['0.5.9', 'C'],
      ['0.6.0.dev0', 'D'],
      ['0.6.0rc1', 'D'],
      ['0.6.0', 'D'],
      ['1.0.0', 'D'],
      ['0.0.9', undefined],
      ['0.1.0.dev0', undefined],
      ['latest', undefined],
      ['', undefined],
    ];
    for (const [version, era] of eras) assert.equal(bridgeEraOfVersion(version), era, version);
  });
});

describe('compareVersions', () => {
  it('orders pre-releases before their final release', () => {
    const ordered = ['0.1.0.dev0', '0.1.0a0', '0.1.0a1', '0.1.0b0', '0.1.0rc0.dev1', '0.1.0rc0', '0.1.0rc2', '0.1.0', '0.1.0.post1', '0.1.1', '0.2.0rc6', '0.10.0'];
    for (let i = 0; i + 1 < ordered.length; i++) {
      assert.equal(compareVersions(ordered[i]!, ordered[i + 1]!), -1, `${ordered[i]} < ${ordered[i + 1]}`);
      assert.equal(compareVersions(ordered[i + 1]!, ordered[i]!), 1);
    }
    assert.equal(compareVersions('0.3', '0.3.0'), 0);
    assert.equal(compareVersions('0.3.0', 'x'), undefined);
  });
});
