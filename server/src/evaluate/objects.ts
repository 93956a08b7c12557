// Creating configuration objects: an eager `nl.MegatronStrategy(...)`, a lazy
// `run.Config(nl.MegatronStrategy, ...)` or a `run.Partial(llm.pretrain, ...)` all become an
// ObjectValue whose attributes are the arguments given, by name.
import type { ClassModel } from './library';
import { literal, type CallArgs, type ObjectValue, type Value } from './values';
import type { State } from './state';

export function newObject(state: State, cls: string, form: ObjectValue['form'], call: CallArgs, detail?: string): ObjectValue {
  return { kind: 'object', id: state.newId(), cls, form, attrs: new Map(), prov: literal(call.range, detail ?? `${cls}(...)`) };
}

/** Binds positional and keyword arguments to fields, following the class's parameter order. */
export function bindFields(obj: ObjectValue, model: ClassModel | undefined, args: readonly Value[], call: CallArgs): void {
  const params = model?.params ?? [];
  args.forEach((a, i) => {
    const name = params[i];
    if (name) obj.attrs.set(name, a);
  });
  for (const [k, v] of call.kwargs) obj.attrs.set(k, v);
  if (call.opaque) obj.opaque = { reason: `arguments that are not known (${call.opaque})`, range: call.range };
}
