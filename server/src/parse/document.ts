// A parsed Python document that can be edited and re-parsed incrementally.
//
// Syntax errors never stop analysis: tree-sitter always returns a tree, with ERROR and MISSING
// nodes where the text does not parse, and the evaluator treats those as unknown values.
import { Edit, type Parser, type Tree } from 'web-tree-sitter';
import { LineIndex, type Range } from './positions';

export interface TextChange {
  /** The range replaced, in the text as it was before this change. */
  range: Range;
  text: string;
}

/** A text with its syntax tree and line index: what the analysis reads. */
export interface ParsedText {
  readonly text: string;
  readonly tree: Tree;
  readonly lines: LineIndex;
}

export class PythonDocument implements ParsedText {
  private constructor(
    private readonly parser: Parser,
    private index: LineIndex,
    private current: Tree,
  ) {}

  static parse(parser: Parser, text: string): PythonDocument {
    return new PythonDocument(parser, new LineIndex(text), parseOrThrow(parser, text, null));
  }

  get text(): string {
    return this.index.text;
  }

  get tree(): Tree {
    return this.current;
  }

  get lines(): LineIndex {
    return this.index;
  }

  /**
   * Applies changes in order (as LSP's didChange sends them) and re-parses once, reusing the
   * old tree so that only the edited region is parsed again.
   */
  applyChanges(changes: readonly TextChange[]): void {
    let text = this.index.text;
    for (const change of changes) {
      const index = new LineIndex(text);
      const startIndex = index.offsetAt(change.range.start);
      const oldEndIndex = Math.max(startIndex, index.offsetAt(change.range.end));
      text = text.slice(0, startIndex) + change.text + text.slice(oldEndIndex);
      const newEndIndex = startIndex + change.text.length;
      const after = new LineIndex(text);
      this.current.edit(
        new Edit({
          startIndex,
          oldEndIndex,
          newEndIndex,
          startPosition: toPoint(index.positionAt(startIndex)),
          oldEndPosition: toPoint(index.positionAt(oldEndIndex)),
          newEndPosition: toPoint(after.positionAt(newEndIndex)),
        }),
      );
    }
    this.index = new LineIndex(text);
    const next = parseOrThrow(this.parser, text, this.current);
    this.current.delete();
    this.current = next;
  }

  /** Replaces the whole text (a full-document sync) without reusing the old tree. */
  replaceText(text: string): void {
    const next = parseOrThrow(this.parser, text, null);
    this.current.delete();
    this.current = next;
    this.index = new LineIndex(text);
  }

  dispose(): void {
    this.current.delete();
  }
}

function toPoint(p: { line: number; character: number }) {
  return { row: p.line, column: p.character };
}

function parseOrThrow(parser: Parser, text: string, old: Tree | null): Tree {
  // parse() returns null only when parsing was cancelled or no language is set; neither happens
  // here, so a null is a programming error, not bad input.
  const tree = parser.parse(text, old);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
