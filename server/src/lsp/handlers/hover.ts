// textDocument/hover: on a rule code inside a suppression comment, the rule's summary and link;
// on a value a job reads, the job's layout and where the value comes from.
import type { Connection } from 'vscode-languageserver/node';
import { MarkupKind } from '../languageServer';
import { hoverAt } from '../../analysis/hover';
import { parseSuppressions } from '../../analysis/suppressions';
import { docsUrl } from '../../rules/diagnostic';
import { ruleByCode } from '../../rules/registry';
import type { ServerContext } from '../server';

export function registerHover(connection: Connection, ctx: ServerContext): void {
  connection.onHover((params) => {
    const entry = ctx.workspace.get(params.textDocument.uri);
    if (!entry) return null;
    const { line, character } = params.position;
    const lineText = entry.doc.lines.lineText(line);
    for (const s of parseSuppressions(lineText)) {
      for (const c of s.codes ?? []) {
        if (character < c.range.start.character || character > c.range.end.character) continue;
        const rule = ruleByCode(c.code);
        if (!rule) return null;
        return {
          contents: { kind: MarkupKind.Markdown, value: `**${rule.code} \`${rule.name}\`** (${rule.severity})\n\n${rule.summary}\n\n[Documentation](${docsUrl(rule.name)})` },
          range: { start: { line, character: c.range.start.character }, end: { line, character: c.range.end.character } },
        };
      }
    }
    const hover = hoverAt(ctx.workspace.analysis(entry), params.position);
    return hover ? { contents: { kind: MarkupKind.Markdown, value: hover.markdown }, range: hover.range } : null;
  });
}
