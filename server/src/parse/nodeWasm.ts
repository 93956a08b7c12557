// Finding the wasm files on Node: beside the bundle (dist/) when running bundled, otherwise in
// node_modules when running from the source tree.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WasmSources } from './treeSitter';

const RUNTIME = 'web-tree-sitter.wasm';
const GRAMMAR = 'tree-sitter-python.wasm';

export function nodeWasmSources(): WasmSources {
  return { runtime: readFileSync(locate(RUNTIME, 'web-tree-sitter/web-tree-sitter.wasm')), grammar: readFileSync(locate(GRAMMAR, 'tree-sitter-python/tree-sitter-python.wasm')) };
}

function locate(file: string, packagePath: string): string {
  const besideBundle = join(__dirname, file);
  return existsSync(besideBundle) ? besideBundle : require.resolve(packagePath);
}
