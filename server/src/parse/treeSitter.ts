// Loading web-tree-sitter and the Python grammar.
//
// The two wasm files are found through a host-specific locator, so the same code runs from the
// source tree (tests, through tsx), from the esbuild bundle (the files are copied beside it) and,
// later, from a web worker (bytes or URLs handed over by the client).
import { Language, Parser } from 'web-tree-sitter';
import { bind } from './wasmNodes';

/**
 * Where the runtime and the grammar come from: raw bytes, a URL/path that the host can load, or a
 * module already compiled (nodeWasm.ts compiles them while the server's bundle loads).
 */
export interface WasmSources {
  runtime: Uint8Array | string | WebAssembly.Module;
  grammar: Uint8Array | string | WebAssembly.Module;
}

let python: Promise<Language> | undefined;

/**
 * Initialises tree-sitter once per process and loads the Python grammar. Later calls return the
 * same language whatever sources they pass: there is one runtime per process.
 */
export function loadPython(sources: WasmSources): Promise<Language> {
  python ??= (async () => {
    const { runtime, grammar } = sources;
    // Emscripten turns the options object into the module itself: keep it for wasmNodes.ts.
    const module = typeof runtime === 'string' ? { locateFile: () => runtime } : runtime instanceof Uint8Array ? { wasmBinary: runtime } : instantiating(runtime);
    await Parser.init(module);
    bind(module);
    return grammar instanceof WebAssembly.Module ? Language.loadSync(grammar) : Language.load(grammar);
  })();
  return python;
}

/** Emscripten's hook for a host that instantiates the runtime itself: here from a compiled module, at once. */
function instantiating(compiled: WebAssembly.Module): object {
  return {
    instantiateWasm(imports: object, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      done(new WebAssembly.Instance(compiled, imports), compiled);
      return {};
    },
  };
}

/** A parser bound to the Python grammar. Parsers are cheap; a document keeps its own. */
export function newPythonParser(language: Language): Parser {
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
