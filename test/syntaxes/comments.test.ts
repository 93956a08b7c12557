// The injection grammar (syntaxes/recipe-lens-comments.tmLanguage.json) tokenised with
// vscode-textmate, as VS Code does, over a stand-in Python grammar: directive and suppression
// comments get their scopes, code and strings do not.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { INITIAL, Registry, parseRawGrammar, type IGrammar } from 'vscode-textmate';
import { createOnigScanner, createOnigString, loadWASM } from 'vscode-oniguruma';

const ROOT = join(__dirname, '..', '..');
const INJECTION = 'comment.recipe-lens.injection';

let grammar: IGrammar;

before(async () => {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const files: Record<string, string> = {
    'source.python': join(ROOT, 'test', 'fixtures', 'syntaxes', 'python-stand-in.tmLanguage.json'),
    [INJECTION]: join(ROOT, 'syntaxes', 'recipe-lens-comments.tmLanguage.json'),
  };
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner, createOnigString }),
    loadGrammar: async (scope) => (files[scope] ? parseRawGrammar(readFileSync(files[scope]!, 'utf8'), files[scope]) : null),
    // As package.json's `injectTo: ["source.python"]` asks.
    getInjections: (scope) => (scope === 'source.python' ? [INJECTION] : undefined),
  });
  grammar = (await registry.loadGrammar('source.python'))!;
});

/** The innermost scope of each token, as [text, scope]. */
function tokens(line: string): [string, string][] {
  const { tokens: ts } = grammar.tokenizeLine(line, INITIAL);
  return ts.map((t, i) => [line.slice(t.startIndex, ts[i + 1]?.startIndex ?? line.length), t.scopes[t.scopes.length - 1]!] as [string, string]).filter(([text]) => text.trim() !== '');
}

function scopeOf(line: string, text: string): string | undefined {
  return tokens(line).find(([t]) => t === text)?.[1];
}

describe('the comment grammar', () => {
  it('scopes the parts of an ignore comment, code by code', () => {
    const line = 'recipe.trainer.strategy.tensor_model_parallel_size = 3  # recipe-lens: ignore[RL201, RL203]';
    assert.equal(scopeOf(line, 'recipe-lens'), 'keyword.control.directive.recipe-lens');
    assert.equal(scopeOf(line, 'ignore'), 'keyword.other.ignore.recipe-lens');
    assert.equal(scopeOf(line, '['), 'punctuation.definition.list.begin.recipe-lens');
    assert.equal(scopeOf(line, 'RL201'), 'constant.language.rule-code.recipe-lens');
    assert.equal(scopeOf(line, 'RL203'), 'constant.language.rule-code.recipe-lens');
    assert.equal(scopeOf(line, ']'), 'punctuation.definition.list.end.recipe-lens');
  });

  it('scopes the GPU directive and its value', () => {
    const line = '# recipe-lens: gpu=h200-141gb';
    assert.equal(scopeOf(line, 'gpu'), 'keyword.other.gpu.recipe-lens');
    assert.equal(scopeOf(line, '='), 'keyword.operator.assignment.recipe-lens');
    assert.equal(scopeOf(line, 'h200-141gb'), 'string.unquoted.gpu.recipe-lens');
  });

  it('scopes noqa comments, with Recipe Lens codes apart from other tools\' codes', () => {
    const line = 'recipe.data.micro_batch_size = 4  # noqa: RL401, E501';
    assert.equal(scopeOf(line, 'noqa'), 'keyword.control.directive.noqa.recipe-lens');
    assert.equal(scopeOf(line, 'RL401'), 'constant.language.rule-code.recipe-lens');
    assert.equal(scopeOf(line, 'E501'), 'constant.other.rule-code.recipe-lens');
    assert.equal(scopeOf('x = 1  # noqa', 'noqa'), 'keyword.control.directive.noqa.recipe-lens');
  });

  it('leaves code, strings and ordinary comments alone', () => {
    const ours = (line: string) => tokens(line).filter(([, s]) => s.endsWith('.recipe-lens'));
    assert.deepEqual(ours('x = "recipe-lens: gpu=h200"'), []);
    assert.deepEqual(ours('# see the recipe-lens docs, ignore this'), []);
    assert.deepEqual(ours('# RL101 mentioned in passing'), []);
    assert.deepEqual(tokens('# RL101 mentioned in passing').map(([, s]) => s), ['punctuation.definition.comment.python', 'comment.line.number-sign.python']);
  });
});
