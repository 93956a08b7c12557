// The types of lazyJson.mjs, for test/catalog/lazyCatalog.test.ts.
export function lazyJsonModule(json: string, textFile: string): { module: string; text: string };
