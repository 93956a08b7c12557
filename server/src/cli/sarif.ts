// `check --format sarif`: the findings as a SARIF 2.1.0 log, the format code-scanning services
// read (GitHub's upload-sarif among them). One run: the driver describes every rule of the
// registry, so that each result's ruleIndex points into it and the service can show the rule's
// help; positions are 1-based with columns in UTF-16 code units, as the analysis counts them, and
// end columns exclusive; files that could not be read are tool notifications, not results.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Range } from '../parse/positions';
import { docsUrl, type Diagnostic } from '../rules/diagnostic';
import { RULE_DOCS } from '../rules/registry';
import type { RuleDoc, Severity } from '../rules/rule';
import type { CheckedFile } from './checked';
import { pathBelow } from './paths';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/recipe-lens/recipe-lens';
/** Where relative artifact URIs start: the current directory, normally the repository's root. */
const SRCROOT = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';
const LEVELS: Record<Severity, Level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

const RULE_INDEX = new Map(RULE_DOCS.map((r, i) => [r.code, i]));

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** Below the current directory, a relative URI on %SRCROOT%; elsewhere, an absolute file URI. */
function artifactLocation(path: string, cwd: string): ArtifactLocation {
  const below = pathBelow(path, cwd);
  if (below === undefined) return { uri: pathToFileURL(resolve(cwd, path)).href };
  return { uri: below.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function region(r: Range) {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

function ruleDescriptor(r: RuleDoc) {
  const url = docsUrl(r.name);
  return {
    id: r.code,
    name: r.name,
    shortDescription: { text: r.summary },
    fullDescription: { text: r.docs.what },
    helpUri: url,
    help: {
      text: `${r.docs.why}\n\nHow to fix it: ${r.docs.fix}\n\nExample:\n${r.docs.example}\n\nDocumentation: ${url}`,
      markdown: `${r.docs.why}\n\n**How to fix it.** ${r.docs.fix}\n\n\`\`\`python\n${r.docs.example}\n\`\`\`\n\n[${r.code} ${r.name}](${url})`,
    },
    defaultConfiguration: { level: LEVELS[r.severity] },
  };
}

function result(d: Diagnostic, location: ArtifactLocation) {
  const index = RULE_INDEX.get(d.code);
  return {
    ruleId: d.code,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: LEVELS[d.severity],
    message: { text: d.message },
    locations: [{ physicalLocation: { artifactLocation: location, region: region(d.range) } }],
    ...(d.related.length ? { relatedLocations: d.related.map((r, i) => ({ id: i + 1, message: { text: r.message }, physicalLocation: { artifactLocation: location, region: region(r.range) } })) } : {}),
    ...(d.fixes.length
      ? {
          fixes: d.fixes.map((f) => ({
            description: { text: f.title },
            artifactChanges: [{ artifactLocation: location, replacements: f.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })) }],
          })),
        }
      : {}),
  };
}

export function sarifLog(checked: readonly CheckedFile[], version: string, cwd: string) {
  const root = pathToFileURL(cwd).href;
  const notifications = checked.flatMap((f) => {
    const locations = [{ physicalLocation: { artifactLocation: artifactLocation(f.path, cwd) } }];
    if (f.unreadable) return [{ level: 'error', message: { text: `${f.path}: cannot be read (${f.unreadable})` }, locations }];
    if (f.failed) return [{ level: 'error', message: { text: `${f.path}: not analysed: ${f.analysis!.skipped}` }, locations }];
    if (f.analysis?.skipped) return [{ level: 'warning', message: { text: `${f.path}: not analysed: ${f.analysis.skipped}` }, locations }];
    return [];
  });
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'recipe-lens', version, informationUri: INFORMATION_URI, rules: RULE_DOCS.map(ruleDescriptor) } },
        originalUriBaseIds: { [SRCROOT]: { uri: root.endsWith('/') ? root : `${root}/` } },
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: !checked.some((f) => f.unreadable || f.failed), toolExecutionNotifications: notifications }],
        results: checked.flatMap((f) => (f.analysis ? f.analysis.diagnostics.map((d) => result(d, artifactLocation(f.path, cwd))) : [])),
      },
    ],
  };
}
