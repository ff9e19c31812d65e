/**
 * Plain-object tables looked up by strings read from the inputs. An index such as
 * `TABLE[kind]` reaches `Object.prototype` for `constructor`, `__proto__` or `toString`;
 * these look at the table's own keys only, and records built from input keys have no prototype.
 */

/** `table[key]` when `key` is the table's own key, else undefined. */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** An empty record without a prototype, for keys read from an input (`__proto__` is then a key like any other). */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
