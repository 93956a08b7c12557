// The settings contributed in package.json agree with the server's zod schema: the same names,
// types, defaults and descriptions (`npm run settings` writes them from the schema), and what VS
// Code sends for the defaults reads back as the schema's defaults without a problem.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { configurationContribution } from '../../server/src/config/manifest';
import { DEFAULT_SETTINGS, readSettings } from '../../server/src/config/settings';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
const contributed = manifest.contributes.configuration as { title: string; properties: Record<string, { type: unknown; default: unknown; description: string }> };

describe('settings in package.json', () => {
  it('are exactly what the schema contributes (run `npm run settings` after changing it)', () => {
    assert.deepEqual(contributed, configurationContribution());
  });

  it('each have a type, a default and a description, and the defaults are the schema\'s', () => {
    const names = Object.keys(contributed.properties);
    for (const required of ['recipeLens.gpu', 'recipeLens.cluster.gpusPerNode', 'recipeLens.megatronCore.version', 'recipeLens.severity', 'recipeLens.ignore', 'recipeLens.inlayHints.enable', 'recipeLens.codeLens.enable', 'recipeLens.trace.server']) {
      assert.ok(names.includes(required), `${required} is contributed`);
    }
    for (const [name, p] of Object.entries(contributed.properties)) {
      assert.ok(p.type, `${name} has a type`);
      assert.ok(p.description && p.description.length > 20, `${name} has a description`);
      let value: unknown = DEFAULT_SETTINGS;
      for (const part of name.split('.').slice(1)) value = (value as Record<string, unknown>)[part];
      assert.deepEqual(p.default, value, `${name}'s default`);
    }
  });

  it('read back, as VS Code sends them, as the defaults with no problem', () => {
    // workspace/configuration answers with the section as nested objects.
    const sent: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(contributed.properties)) {
      const path = name.split('.').slice(1);
      let at = sent;
      for (const part of path.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
      at[path[path.length - 1]!] = p.default;
    }
    assert.deepEqual(readSettings(sent), { settings: DEFAULT_SETTINGS, problems: [] });
  });
});
