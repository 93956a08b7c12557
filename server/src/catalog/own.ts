// Looking up a name the analysed file chose in a table of plain objects (the catalogs, the
// modelled methods and arguments): `table[name]` would also find `constructor`, `toString` or
// `__proto__` on Object.prototype, and `name in table` would say they are there.

/** The table's own entry for `key`, or undefined. */
export function own<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}
