import type { Chain, Counters, Rule, SourcePos } from '../../ast/types.js';
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

function settle(chain: Chain, rules: Rule[]): void {
  Object.defineProperty(chain, 'rules', { configurable: true, enumerable: true, writable: true, value: rules });
}

/**
 * The `-A` lines of iptables-save tables kept as places in the text, read when their chain's
 * rules are first looked at: a trace of one packet through a 400,000-line dump reads the few
 * thousand rules it meets, not all of them. The chains are made here (`newChain`); each chain's
 * `rules` reads its lines on first use and then holds the array like any other chain. A line
 * that cannot be read is reported to the `DeferredReading` and left out, as reading every line
 * at once leaves it out.
 */
export class DeferredRules {
  private readonly lines: number[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Per chain, its rules in order: a kept line (its index in the arrays above) or a rule read already. */
  private readonly pending = new Map<Chain, (number | Rule)[]>();
  /** Chains whose rules were used already: what comes for them later is read at once. */
  private readonly taken = new WeakSet<Chain>();
  private lastChain: Chain | undefined;
  private lastList: (number | Rule)[] | undefined;
  /**
   * The `rules` property of the chains made here: read on first use, then a plain array like any
   * other chain's. One getter and setter for all of them, so that the chains share a shape.
   */
  private readonly readOnFirstUse: PropertyDescriptor;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly reading: DeferredReading,
  ) {
    const take = (chain: Chain): Rule[] => this.take(chain);
    this.readOnFirstUse = {
      configurable: true,
      enumerable: true,
      get(this: Chain): Rule[] {
        const rules = take(this);
        settle(this, rules);
        return rules;
      },
      set(this: Chain, rules: Rule[]): void {
        take(this);
        settle(this, rules);
      },
    };
  }

  /** A chain whose rules are those given to `add` and `addRule`, read on first use. */
  newChain(name: string, policy: string, counters: Counters, pos: SourcePos): Chain {
    const chain = { name, policy, counters } as Chain;
    Object.defineProperty(chain, 'rules', this.readOnFirstUse);
    chain.pos = pos;
    return chain;
  }

  /** Keeps the `-A` line from `start` to `end` (line number `line`) as the chain's next rule. */
  add(chain: Chain, line: number, start: number, end: number): void {
    const at = this.lines.length;
    this.lines.push(line);
    this.starts.push(start);
    this.ends.push(end);
    const list = this.listOf(chain);
    if (list !== undefined) list.push(at);
    else for (const r of this.read([at])) chain.rules.push(r);
  }

  /** Adds a rule read already as the chain's next rule. */
  addRule(chain: Chain, rule: Rule): void {
    const list = this.listOf(chain);
    if (list !== undefined) list.push(rule);
    else chain.rules.push(rule);
  }

  /** The rules of a chain, read now; its lines are not kept any longer. */
  take(chain: Chain): Rule[] {
    this.taken.add(chain);
    const list = this.pending.get(chain);
    if (list === undefined) return [];
    this.pending.delete(chain);
    if (chain === this.lastChain) this.lastChain = this.lastList = undefined;
    return this.read(list);
  }

  /**
   * The list the chain's next rule goes to; undefined when its rules were used already (the
   * rule then goes straight to them).
   */
  private listOf(chain: Chain): (number | Rule)[] | undefined {
    // iptables-save writes a chain's rules together: most lines go to the chain of the last one.
    if (chain === this.lastChain) return this.lastList;
    let list = this.pending.get(chain);
    if (list === undefined) {
      if (this.taken.has(chain)) return undefined;
      this.pending.set(chain, (list = []));
    }
    this.lastChain = chain;
    this.lastList = list;
    return list;
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
