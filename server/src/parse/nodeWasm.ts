// Finding the wasm files on Node: beside the bundle (dist/) when running bundled, otherwise in
// node_modules when running from the source tree.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WasmSources } from './treeSitter';

const RUNTIME = 'web-tree-sitter.wasm';
const GRAMMAR = 'tree-sitter-python.wasm';

export function nodeWasmSources(): { runtime: Uint8Array; grammar: Uint8Array } {
  return { runtime: readFileSync(locate(RUNTIME, 'web-tree-sitter/web-tree-sitter.wasm')), grammar: readFileSync(locate(GRAMMAR, 'tree-sitter-python/tree-sitter-python.wasm')) };
}

/**
 * The same files, compiled. WebAssembly.compile works on V8's background thread, so a caller that
 * starts it and then spends the main thread on other work (the server's entry, loading its bundle)
 * finds the modules ready instead of compiling them when the parser is first needed.
 */
export async function compileNodeWasm(): Promise<WasmSources> {
  const { runtime, grammar } = nodeWasmSources();
  const [compiledRuntime, compiledGrammar] = await Promise.all([WebAssembly.compile(runtime), WebAssembly.compile(grammar)]);
  return { runtime: compiledRuntime, grammar: compiledGrammar };
}

function locate(file: string, packagePath: string): string {
  const besideBundle = join(__dirname, file);
  return existsSync(besideBundle) ? besideBundle : require.resolve(packagePath);
}
