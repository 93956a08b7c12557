// Positions and ranges as the whole project uses them: 0-based lines and UTF-16 code units, the
// encoding of JavaScript strings, of web-tree-sitter's points and of LSP's default.
import type { Node } from 'web-tree-sitter';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export function rangeOf(node: Node): Range {
  const { startPosition: s, endPosition: e } = node;
  return { start: { line: s.row, character: s.column }, end: { line: e.row, character: e.column } };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/**
 * A range kept as offsets into a text, its positions worked out when first read. The evaluator
 * records a range for every literal, assignment and call it sees (about 20,000 in the bench's
 * 5,000-line script) and reads a few thousand of them, late (diagnostics, hovers). Made up front,
 * each was three objects and two line lookups. Serialised (JSON, LSP), it is a plain range.
 */
export class OffsetRange implements Range {
  readonly #lines: LineIndex;
  readonly #s: number;
  readonly #e: number;
  #start: Position | undefined = undefined;
  #end: Position | undefined = undefined;

  constructor(lines: LineIndex, s: number, e: number) {
    this.#lines = lines;
    this.#s = s;
    this.#e = e;
  }

  get start(): Position {
    return (this.#start ??= this.#lines.positionAt(this.#s));
  }

  get end(): Position {
    return (this.#end ??= this.#lines.positionAt(this.#e));
  }

  toJSON(): Range {
    return { start: this.start, end: this.end };
  }
}

let last: LineIndex | undefined;

/**
 * The line index of a text, remembered for the last text asked about: fixes for every finding of
 * an analysis are computed against the same text, and indexing it each time cost more than the
 * rest of the fix.
 */
export function lineIndexOf(text: string): LineIndex {
  if (last?.text !== text) last = new LineIndex(text);
  return last;
}

/** Line starts of a text, for converting between offsets and positions. */
export class LineIndex {
  private readonly starts: number[];
  /** The line of the last position found (see positionAt). */
  private lastLine = 0;

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset of a position, clamped to the text (LSP clients may send positions past a line end). */
  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line]!;
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1]! - 1 : this.text.length;
    return Math.min(start + Math.max(0, pos.character), next);
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    // The evaluator asks for positions in reading order: most fall on the line asked for last.
    const starts = this.starts;
    const last = this.lastLine;
    if (starts[last]! <= clamped && (last + 1 === starts.length || clamped < starts[last + 1]!)) return { line: last, character: clamped - starts[last]! };
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    this.lastLine = lo;
    return { line: lo, character: clamped - starts[lo]! };
  }

  lineText(line: number): string {
    const start = this.starts[line];
    if (start === undefined) return '';
    const end = line + 1 < this.starts.length ? this.starts[line + 1]! - 1 : this.text.length;
    return this.text.slice(start, end).replace(/\r$/, '');
  }
}
