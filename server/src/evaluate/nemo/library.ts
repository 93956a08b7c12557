// The evaluator's library for NeMo scripts: resolves dotted names from NeMo, NeMo-Run,
// Megatron-Core, torch and the Python standard library to modelled values and classes.
import { native } from '../builtins';
import type { ClassModel, Library } from '../library';
import { resolveStdlib, stdlibClass, torchDtype } from '../stdlib';
import { literal, type Value } from '../values';
import { apiClass, apiValue } from './api';
import { bridgeClass } from '../bridge/models';
import { overrideFunction } from '../bridge/overrides';
import { BRIDGE_PARTIAL, bridgeEntryPoint, bridgeRecordsFor, callBridgeRecipe } from '../bridge/recipes';
import { nemoClass } from './classes';
import { callFactory, FACTORIES, isRecipeModule, type Factory } from './recipes';

/** Packages whose classes are matched by their final name (they re-export them in many places). */
const CLASS_PACKAGES = /^(nemo|nemo_run|megatron|lightning|pytorch_lightning)\./;

const RECIPE_FUNCTION = /^nemo\.collections\.llm(?:\.recipes)?\.(\w+)\.(\w+)$/;

/** Megatron-Bridge's training entry points. */
const BRIDGE_ENTRY = /^megatron\.bridge\.training(?:\.(?:pretrain|finetune))?\.(pretrain|finetune)$/;

/** A Megatron-Bridge recipe function, imported from its module, its family, or the package. */
const BRIDGE_RECIPE = /^megatron\.bridge\.(?:perf_)?recipes(?:\.\w+)*\.(\w+_config)$/;

/**
 * How many names the library remembers between analyses. The names a file asks about are the
 * user's to choose, and an editing session asks about every prefix typed (`llm.lla`, `llm.llam`...):
 * kept for good, they would grow the server's memory for as long as it runs.
 */
const MAX_REMEMBERED = 10_000;

export class NemoLibrary implements Library {
  private readonly cache = new Map<string, Value | undefined>();
  /** Entries in the three caches together. */
  private remembered = 0;

  /**
   * Forgets every name looked up once more than MAX_REMEMBERED are remembered. Only between
   * analyses: within one, a name must keep resolving to the same value.
   */
  forgetIfFull(): void {
    if (this.remembered <= MAX_REMEMBERED) return;
    this.cache.clear();
    this.members.clear();
    this.classes.clear();
    this.remembered = 0;
  }

  /** How many names are remembered (for tests). */
  get rememberedNames(): number {
    return this.remembered;
  }

  resolve(path: string): Value | undefined {
    if (this.cache.has(path)) return this.cache.get(path);
    const v = this.lookup(path);
    this.cache.set(path, v);
    this.remembered++;
    return v;
  }

  private readonly members = new Map<string, Map<string, { path: string; value: Value | undefined }>>();

  member(base: string, name: string): { path: string; value: Value | undefined } {
    let byName = this.members.get(base);
    if (!byName) {
      byName = new Map();
      this.members.set(base, byName);
    }
    let found = byName.get(name);
    if (!found) {
      const path = `${base}.${name}`;
      found = { path, value: this.resolve(path) };
      byName.set(name, found);
      this.remembered++;
    }
    return found;
  }

  private lookup(path: string): Value | undefined {
    if (path.startsWith('.')) return undefined;
    const recipeFn = RECIPE_FUNCTION.exec(path);
    if (recipeFn && isRecipeModule(recipeFn[1]!) && (FACTORIES as readonly string[]).includes(recipeFn[2]!)) {
      const [, module, factory] = recipeFn as unknown as [string, string, Factory];
      return native(`${module}.${factory}`, (ctx, call) => callFactory(ctx, module, factory, call));
    }
    const bridge = BRIDGE_RECIPE.exec(path);
    if (bridge && bridgeRecordsFor(path).length) return native(bridge[1]!, (ctx, call) => callBridgeRecipe(ctx, path, call));
    const override = overrideFunction(path);
    if (override) return native(override[0], override[1]);
    const entry = BRIDGE_ENTRY.exec(path);
    if (entry) return native(`${BRIDGE_PARTIAL}.${entry[1]}`, bridgeEntryPoint(entry[1] as 'pretrain' | 'finetune'));
    const api = apiValue(path);
    if (api) return api;
    const std = resolveStdlib(path) ?? torchDtype(path);
    if (std) return std;
    if (CLASS_PACKAGES.test(path)) {
      const last = path.slice(path.lastIndexOf('.') + 1);
      if (this.classModel(last)) return { kind: 'class', name: last, prov: literal(null, path) };
    }
    return undefined;
  }

  private readonly classes = new Map<string, ClassModel | undefined>();

  /** Remembered by name: every attribute read of an object asks for its class. */
  classModel(name: string): ClassModel | undefined {
    if (this.classes.has(name)) return this.classes.get(name);
    const model = apiClass(name) ?? stdlibClass(name) ?? nemoClass(name) ?? bridgeClass(name);
    this.classes.set(name, model);
    this.remembered++;
    return model;
  }
}
