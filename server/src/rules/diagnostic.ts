// Diagnostics as the analysis core reports them (the LSP layer converts them to LSP's types).
import type { Range } from '../parse/positions';
import type { Severity } from './rule';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one fix per diagnostic that is safe and most likely meant. */
  preferred: boolean;
}

export interface RelatedInformation {
  range: Range;
  message: string;
}

export interface Diagnostic {
  code: string;
  name: string;
  severity: Severity;
  message: string;
  range: Range;
  related: RelatedInformation[];
  fixes: Fix[];
  /** The index of the plan (job) the diagnostic is about, when it is about one. */
  plan?: number;
}

/** Where each rule's documentation lives; diagnostics link to it. */
export const DOCS_BASE = 'https://github.com/recipe-lens/recipe-lens/blob/main/docs/rules/';

export function docsUrl(name: string): string {
  return `${DOCS_BASE}${name}.md`;
}
