// The recipe catalogs as the bundles hold them (the `jsonText` plugin of scripts/build.mjs): a
// module whose large objects are built a property at a time, each property parsed from its own
// JSON text, in a file beside the bundle, when first read. The first analysis of a file reads a
// few recipes out of a catalog of 1.2 MB; parsing all of it cost that analysis 15 to 25 ms.

/** An object whose JSON is longer than this is split into its properties; smaller values stay one text. */
const LAZY_BYTES = 2048;

/**
 * An object with a property per key of `nodes`, each parsed when first read: a pair is where the
 * JSON text of the value lies in `text`, the bytes of the catalog's text file (ASCII, see split),
 * an object the nodes of a value split the same way. The file stays bytes and only the values read
 * become strings: decoding the NeMo catalog whole took 1.1 ms of the first analysis, its bytes 0.3.
 * Object.keys, `in`, spreads and JSON.stringify see the object JSON.parse would have made, in the
 * same order. The properties stay accessors that keep their value (a setter included, as a plain
 * property can be written): redefining each as a data property once parsed cost more than the
 * parsing. It is written into the generated module as its source text, so it uses nothing outside
 * itself.
 */
export function lazy(text, nodes) {
  const object = {};
  for (const key of Object.keys(nodes)) {
    const node = nodes[key];
    let parsed = false;
    let value;
    Object.defineProperty(object, key, {
      get() {
        if (!parsed) {
          value = Array.isArray(node) ? JSON.parse(text.toString('latin1', node[0], node[1])) : lazy(text, node);
          parsed = true;
        }
        return value;
      },
      set(v) {
        value = v;
        parsed = true;
      },
      enumerable: true,
      configurable: true,
    });
  }
  return object;
}

/**
 * The nodes of the properties of `object` (see lazy): an object whose JSON is longer than
 * LAZY_BYTES is split into its properties, any other value is one JSON text, appended to `texts`.
 * A character outside ASCII, which JSON has only inside strings, is written as its escape, so that
 * the texts can be read a byte to a character (Latin-1), twice as fast as decoding UTF-8.
 */
function split(object, texts) {
  const nodes = {};
  for (const [key, value] of Object.entries(object)) {
    const json = JSON.stringify(value);
    if (json.length > LAZY_BYTES && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      nodes[key] = split(value, texts);
    } else {
      const text = json.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      nodes[key] = [texts.length, texts.length + text.length];
      texts.length += text.length;
      texts.parts.push(text);
    }
  }
  return nodes;
}

/**
 * A catalog, a JSON object, as a CommonJS module and the text it reads: the texts of the catalog's
 * values one after another, which the module reads from `textFile` beside itself when it is first
 * required, and where each value lies, as JSON in the module. The texts are a file of their own,
 * not a string literal of the module, so that the 1.2 MB of the two catalogs are neither in the
 * bundle V8 reads at every start of the server nor in the code cache it deserialises then.
 */
export function lazyJsonModule(json, textFile) {
  const texts = { parts: [], length: 0 };
  const nodes = split(JSON.parse(json), texts);
  const read = `require('node:fs').readFileSync(require('node:path').join(__dirname, ${JSON.stringify(textFile)}))`;
  return { module: `${lazy.toString()}\nmodule.exports = lazy(${read}, JSON.parse(${JSON.stringify(JSON.stringify(nodes))}));\n`, text: texts.parts.join('') };
}
