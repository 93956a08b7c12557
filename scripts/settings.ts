// `npm run settings`: writes the settings schema's contributions into package.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configurationContribution } from '../server/src/config/manifest';

const file = join(__dirname, '..', 'package.json');
const manifest = JSON.parse(readFileSync(file, 'utf8')) as { contributes?: Record<string, unknown> };
manifest.contributes = { ...manifest.contributes, configuration: configurationContribution() };
writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
console.log(`package.json: ${Object.keys(configurationContribution().properties).length} settings`);
