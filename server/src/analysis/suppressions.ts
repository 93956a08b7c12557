// Suppression comments: `# noqa: RL101` (familiar from flake8 and ruff) and the namespaced
// `# recipe-lens: ignore[RL101, RL203]`, on the line where a diagnostic starts. Without codes
// (`# noqa`, `# recipe-lens: ignore`) every Recipe Lens diagnostic on the line is suppressed.
// A code listed that suppresses nothing is reported by RL901 (as ruff's unused-noqa does).
import type { Range } from '../parse/positions';
import type { Diagnostic } from '../rules/diagnostic';

export interface Suppression {
  line: number;
  /** Upper-case codes, or null for "all". */
  codes: { code: string; range: Range }[] | null;
  /** The whole comment, for the fix that removes it. */
  range: Range;
  form: 'noqa' | 'ignore';
  /**
   * Text follows on the line that is not a comment of its own (`# noqa: RL201 heads split
   * evenly`): the removal leaves a `#` before it, or that text would become code.
   */
  textAfter: boolean;
}

const NOQA = /#\s*noqa\b(?::\s*([A-Za-z0-9_]+(?:\s*,\s*[A-Za-z0-9_]+)*))?/g;
const IGNORE = /#\s*recipe-lens:\s*ignore(?:\[([A-Za-z0-9_, ]*)\])?/g;

/** The offset of the first `#` that starts a comment (outside string literals), or -1. */
export function commentStart(line: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return i;
  }
  return -1;
}

export function parseSuppressions(text: string): Suppression[] {
  const out: Suppression[] = [];
  // Both forms name themselves: a line without either word holds neither (most files, all lines).
  const mentions = (s: string) => s.includes('noqa') || s.includes('recipe-lens');
  if (!mentions(text)) return out;
  const lines = text.split('\n');
  lines.forEach((lineText, line) => {
    if (!lineText.includes('#') || !mentions(lineText)) return;
    const start = commentStart(lineText);
    if (start < 0) return;
    const comment = lineText.slice(start);
    for (const [re, form] of [[NOQA, 'noqa'], [IGNORE, 'ignore']] as const) {
      re.lastIndex = 0;
      for (const m of comment.matchAll(re)) {
        const at = start + m.index!;
        const list = m[1];
        let codes: Suppression['codes'] = null;
        if (list !== undefined && list.trim() !== '') {
          codes = [];
          const listStart = at + m[0].indexOf(list);
          for (const c of list.matchAll(/[A-Za-z0-9_]+/g)) {
            codes.push({ code: c[0].toUpperCase(), range: { start: { line, character: listStart + c.index! }, end: { line, character: listStart + c.index! + c[0].length } } });
          }
        }
        // The comment's removal takes the blanks before it along.
        let from = at;
        while (from > 0 && /\s/.test(lineText[from - 1]!)) from--;
        const after = comment.slice(m.index! + m[0].length).trim();
        const textAfter = after !== '' && !after.startsWith('#');
        out.push({ line, codes, form, range: { start: { line, character: from }, end: { line, character: at + m[0].length } }, textAfter });
      }
    }
  });
  return out;
}

/** Removes suppressed diagnostics; reports listed Recipe Lens codes that suppressed nothing. */
export function applySuppressions(diagnostics: Diagnostic[], suppressions: Suppression[]): Diagnostic[] {
  const used = new Set<string>();
  const kept = diagnostics.filter((d) => {
    for (const s of suppressions) {
      if (s.line !== d.range.start.line) continue;
      if (s.codes === null) return false;
      const hit = s.codes.find((c) => c.code === d.code);
      if (hit) {
        used.add(`${s.line}:${hit.range.start.character}`);
        return false;
      }
    }
    return true;
  });
  for (const s of suppressions) {
    for (const c of s.codes ?? []) {
      if (!/^RL\d{3}$/.test(c.code) || used.has(`${s.line}:${c.range.start.character}`)) continue;
      kept.push({
        code: 'RL901',
        name: 'unused-suppression',
        severity: 'warning',
        message: `${c.code} is suppressed here but does not fire on this line`,
        range: c.range,
        related: [],
        fixes: [{ title: s.codes!.length === 1 ? 'Remove the unused suppression comment' : `Remove ${c.code} from the suppression`, edits: [removal(s, c.code)], preferred: true }],
      });
    }
  }
  return kept;
}

function removal(s: Suppression, code: string) {
  const blanks = s.range.start.character > 0 ? '  ' : '';
  if (s.codes!.length === 1) return { range: s.range, newText: s.textAfter ? `${blanks}#` : '' };
  const rest = s.codes!.filter((c) => c.code !== code).map((c) => c.code).join(', ');
  return { range: s.range, newText: `${blanks}${s.form === 'noqa' ? `# noqa: ${rest}` : `# recipe-lens: ignore[${rest}]`}` };
}
