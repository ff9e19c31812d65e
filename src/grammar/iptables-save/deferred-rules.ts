import type { Chain, Rule } from '../../ast/types.js';
import type { Diagnostic } from '../../diagnostics.js';
import { grammarParseLineSafely } from './ast-builder.js';
import { fastParseLine } from './fast-line.js';

/**
 * Where the diagnostics of rule lines read late go: a command that reads only some chains of a
 * dump (trace, explain --chain) checks them before it prints anything.
 */
export interface DeferredReading {
  report(diagnostic: Diagnostic): void;
}

/**
 * The `-A` lines of an iptables-save table kept as places in the text, read when their chain's
 * rules are first looked at: a trace of one packet through a 400,000-line dump reads the few
 * thousand rules it meets, not all of them. Each chain's `rules` is a property that reads its
 * lines on first use and then holds the array like any other chain. A line that cannot be read
 * is reported to the `DeferredReading` and left out, as the eager reader leaves it out.
 */
export class DeferredRules {
  private readonly lines: number[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Per chain, its rules in order: a line (its index in the arrays above) or a rule read already. */
  private readonly pending = new Map<Chain, (number | Rule)[]>();
  private lastChain: Chain | undefined;
  private lastList: (number | Rule)[] | undefined;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly reading: DeferredReading,
  ) {}

  /** Keeps the `-A` line from `start` to `end` (line number `line`) as the chain's next rule. */
  add(chain: Chain, line: number, start: number, end: number): void {
    const at = this.lines.length;
    this.lines.push(line);
    this.starts.push(start);
    this.ends.push(end);
    // iptables-save writes a chain's rules together: most lines go to the chain of the last one.
    if (chain === this.lastChain) {
      (this.lastList as (number | Rule)[]).push(at);
      return;
    }
    let list = this.pending.get(chain);
    if (list === undefined) this.pending.set(chain, (list = [at]));
    else list.push(at);
    this.lastChain = chain;
    this.lastList = list;
  }

  /** Adds a rule read already after the chain's deferred lines; false when the chain has none. */
  addRule(chain: Chain, rule: Rule): boolean {
    const list = this.pending.get(chain);
    if (list === undefined) return false;
    list.push(rule);
    return true;
  }

  /** Reads the lines kept for these chains now, into their rules. */
  readNow(chains: readonly Chain[]): void {
    for (const chain of chains) {
      const list = this.pending.get(chain);
      if (list === undefined) continue;
      this.forget(chain);
      for (const rule of this.read(list)) chain.rules.push(rule);
    }
  }

  private forget(chain: Chain): void {
    this.pending.delete(chain);
    if (chain === this.lastChain) this.lastChain = this.lastList = undefined;
  }

  /** Makes the rules of these chains (a table's, once it is closed) read on first use. */
  install(chains: readonly Chain[]): void {
    for (const chain of chains) {
      const list = this.pending.get(chain);
      if (list === undefined) continue;
      this.forget(chain);
      const head = chain.rules;
      Object.defineProperty(chain, 'rules', {
        configurable: true,
        enumerable: true,
        get: () => {
          const rules = head.length === 0 ? this.read(list) : head.concat(this.read(list));
          settle(chain, rules);
          return rules;
        },
        set: (rules: Rule[]) => settle(chain, rules),
      });
    }
  }

  private read(list: readonly (number | Rule)[]): Rule[] {
    const rules: Rule[] = [];
    for (const e of list) {
      if (typeof e !== 'number') {
        rules.push(e);
        continue;
      }
      const start = this.starts[e] as number;
      const end = this.ends[e] as number;
      const line = this.lines[e] as number;
      const parsed = fastParseLine(this.text, start, end, this.file, line) ?? grammarParseLineSafely(this.text.slice(start, end), this.file, line);
      if (parsed.kind === 'command') {
        const rule: Rule = { args: parsed.args, pos: parsed.pos };
        if (parsed.counters !== undefined) rule.counters = parsed.counters;
        rules.push(rule);
      } else if (parsed.kind === 'error') {
        for (const d of parsed.diagnostics) this.reading.report(d);
      }
    }
    return rules;
  }
}

/** Replaces the reading property by a plain one holding `rules`. */
function settle(chain: Chain, rules: Rule[]): void {
  Object.defineProperty(chain, 'rules', { configurable: true, enumerable: true, writable: true, value: rules });
}
