// What the server makes of a catalog file once loaded: the data without the generator's
// `$comment` (which the zod schemas in schemas.ts would strip too, so the server sees exactly what
// validation would return; test/catalog/schemas.test.ts checks that). The bundles parse the
// catalogs' properties when first read (scripts/lazyJson.mjs), so the copy takes the properties'
// descriptors, not their values: copying the values would parse the whole catalog.
export function loadCatalog<T>(json: unknown): T {
  const { $comment: _comment, ...properties } = Object.getOwnPropertyDescriptors(json);
  return Object.defineProperties({}, properties) as T;
}
