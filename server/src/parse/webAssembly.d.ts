// The WebAssembly globals the parser's loading uses (treeSitter.ts, nodeWasm.ts): Node has them,
// but the types of Node 20 do not declare them, and the DOM's library would declare far more.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: object);
    readonly exports: Record<string, unknown>;
  }
  function compile(bytes: Uint8Array): Promise<Module>;
}
