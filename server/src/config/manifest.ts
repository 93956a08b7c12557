// The `contributes.configuration` of package.json, derived from the settings schema: one
// `recipeLens.<path>` property per setting, with its JSON type, default and description.
// `npm run settings` writes it into package.json; test/config/manifest.test.ts checks they agree.
import * as z from 'zod';
import { settingsSchema } from './settings';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; anyOf?: JsonSchema[]; description?: string };

/** JSON Schema as VS Code's settings read it: a nullable type as a type list, no 53-bit bounds. */
function vscodeProperty(s: JsonSchema): Record<string, unknown> {
  const out: Record<string, unknown> = { ...s };
  if (s.anyOf && s.anyOf.length === 2 && s.anyOf.some((x) => x['type'] === 'null')) {
    const other = s.anyOf.find((x) => x['type'] !== 'null')!;
    delete out['anyOf'];
    Object.assign(out, other, { type: [other['type'], 'null'] });
  }
  if (out['maximum'] === Number.MAX_SAFE_INTEGER) delete out['maximum'];
  return out;
}

export function configurationContribution(): { title: string; properties: Record<string, Record<string, unknown>> } {
  const root = z.toJSONSchema(settingsSchema(), { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const properties: Record<string, Record<string, unknown>> = {};
  const walk = (node: JsonSchema, path: string[]) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      // A group (cluster, megatronCore...) has no description of its own: its settings do.
      if (child.description === undefined && child.properties) walk(child, [...path, name]);
      else properties[['recipeLens', ...path, name].join('.')] = vscodeProperty(child);
    }
  };
  walk(root, []);
  return { title: 'Recipe Lens', properties };
}
