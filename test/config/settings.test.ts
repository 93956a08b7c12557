// The settings' defaults are one object, DEFAULT_SETTINGS, which the schema's defaults are read
// from; reading settings leniently keeps what is valid and reports the rest.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, readSettings, settingsSchema } from '../../server/src/config/settings';

describe('settings', () => {
  it('parse from nothing, and from empty groups, to DEFAULT_SETTINGS', () => {
    assert.deepEqual(settingsSchema().parse({}), DEFAULT_SETTINGS);
    assert.deepEqual(settingsSchema().parse({ cluster: {}, megatronCore: {}, bridge: {}, inlayHints: {}, codeLens: {}, trace: {} }), DEFAULT_SETTINGS);
  });

  it('keep DEFAULT_SETTINGS frozen, and give each parse its own objects', () => {
    assert.ok(Object.isFrozen(DEFAULT_SETTINGS) && Object.isFrozen(DEFAULT_SETTINGS.cluster) && Object.isFrozen(DEFAULT_SETTINGS.select));
    const parsed = settingsSchema().parse({});
    parsed.cluster.gpusPerNode = 4;
    parsed.select.push('RL1');
    assert.equal(DEFAULT_SETTINGS.cluster.gpusPerNode, null);
    assert.deepEqual(DEFAULT_SETTINGS.select, []);
  });

  it('read a malformed value as its default and leave out a malformed list entry, naming each, keeping the valid ones', () => {
    const { settings, problems } = readSettings({ gpu: 'h200-141gb', cluster: { gpusPerNode: -2 }, ignore: ['RL402', 'nope', 'RL101', 7], select: ['RL2'] });
    assert.equal(settings.gpu, 'h200-141gb');
    assert.equal(settings.cluster.gpusPerNode, null);
    assert.deepEqual(settings.ignore, ['RL402', 'RL101']);
    assert.deepEqual(settings.select, ['RL2']);
    assert.deepEqual(
      problems.map((p) => [p.split(':')[0], p.split('; ').pop()]),
      [
        ['recipeLens.cluster.gpusPerNode', 'using the default'],
        ['recipeLens.ignore.1', 'left out'],
        ['recipeLens.ignore.3', 'left out'],
      ],
    );
  });

  it('read nothing as the defaults, with no problem', () => {
    assert.deepEqual(readSettings(undefined), { settings: DEFAULT_SETTINGS, problems: [] });
    assert.deepEqual(readSettings(null), { settings: DEFAULT_SETTINGS, problems: [] });
  });
});
