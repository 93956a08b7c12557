// Our diagnostics and fixes as LSP objects. The fixes travel in `data`, so code actions are
// rebuilt from the diagnostics the client sends back, without server-side state.
import type { CodeAction, DiagnosticSeverity as LspSeverity, Diagnostic as LspDiagnostic, WorkspaceEdit } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from './languageServer';
import { docsUrl, type Diagnostic, type Fix } from '../rules/diagnostic';
import type { Severity } from '../rules/rule';
import type { ClientFeatures } from './capabilities';

export const SOURCE = 'recipe-lens';

const SEVERITY: Record<Severity, LspSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface DiagnosticData {
  fixes: Fix[];
  /** The job the diagnostic is about: the best-layout fix is searched for it at code-action time. */
  plan?: number;
}

export function toLspDiagnostic(d: Diagnostic, uri: string, features: ClientFeatures): LspDiagnostic {
  const related = d.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  // Clients without related information get it in the message, so nothing is lost.
  const message = features.relatedInformation || related.length === 0 ? d.message : `${d.message}\n${d.related.map((r) => `line ${r.range.start.line + 1}: ${r.message}`).join('\n')}`;
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: docsUrl(d.name) },
    source: SOURCE,
    message,
    ...(features.relatedInformation && related.length ? { relatedInformation: related } : {}),
    data: { fixes: d.fixes, ...(d.plan !== undefined ? { plan: d.plan } : {}) } satisfies DiagnosticData,
  };
}

export function workspaceEdit(uri: string, fixes: readonly Fix[]): WorkspaceEdit {
  return { changes: { [uri]: fixes.flatMap((f) => f.edits) } };
}

export function quickFix(uri: string, diagnostic: LspDiagnostic, fix: Fix): CodeAction {
  return { title: fix.title, kind: 'quickfix', diagnostics: [diagnostic], isPreferred: fix.preferred, edit: workspaceEdit(uri, [fix]) };
}
