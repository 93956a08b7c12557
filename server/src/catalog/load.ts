// What the server makes of a catalog file once loaded: the data without the generator's
// `$comment` (which the zod schemas in schemas.ts would strip too, so the server sees exactly what
// validation would return; test/catalog/schemas.test.ts checks that).
export function loadCatalog<T>(json: unknown): T {
  const { $comment: _comment, ...catalog } = json as Record<string, unknown>;
  return catalog as T;
}
