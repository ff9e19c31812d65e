/** Appends every item to `target` (`push(...items)` overflows the call stack on very long arrays). */
export function pushAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
