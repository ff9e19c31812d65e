import type { Arg } from '../types.js';

/**
 * The options of one extension, keyed by canonical name. An extension's reader uses it to fetch
 * each option once; an option given twice or one the reader does not know makes it give up, and
 * the caller then prints the options as they were written.
 */
export class OptionSet {
  private readonly byName = new Map<string, Arg>();
  readonly ok: boolean;

  constructor(options: readonly Arg[], canonical: (flag: string) => string | undefined) {
    let ok = true;
    for (const o of options) {
      const name = canonical(o.flag);
      if (name === undefined || this.byName.has(name)) ok = false;
      else this.byName.set(name, { ...o, flag: name });
    }
    this.ok = ok;
  }

  get(name: string): Arg | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The single value of `name` (undefined when absent or not exactly one value). */
  value(name: string): string | undefined {
    const a = this.byName.get(name);
    return a && a.values.length === 1 ? a.values[0] : undefined;
  }

  negated(name: string): boolean {
    return this.byName.get(name)?.negated ?? false;
  }

  /** Whether only these names are present. */
  only(...names: string[]): boolean {
    for (const k of this.byName.keys()) if (!names.includes(k)) return false;
    return true;
  }

  get size(): number {
    return this.byName.size;
  }
}

/** Thrown inside an extension's saver when a value cannot be read; caught by the dispatcher. */
export class Unreadable extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'Unreadable';
  }
}

export function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Unreadable(what);
  return v;
}

/** `" !"` when negated, else `""`: the prefix most savers print before a negated option. */
export function bang(negated: boolean): string {
  return negated ? ' !' : '';
}
