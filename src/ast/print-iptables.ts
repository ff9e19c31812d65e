import type { Arg, Chain, IptablesRuleSet, Rule, Table } from './types.js';

/**
 * Prints a rule set as `iptables-restore` input: per table `*name`, the chain lines, the rules
 * chain by chain, the `-X` lines of deleted chains, `COMMIT`. This is the only place that
 * writes iptables rule text.
 */
export function printIptablesRestore(ruleSet: IptablesRuleSet, options: PrintOptions = {}): string {
  const out = new ChunkedText();
  for (const table of ruleSet.tables) printTable(table, out, options);
  return out.toString();
}

/**
 * Collects lines and joins them a few thousand at a time, so that printing a rule set of
 * hundreds of thousands of rules never builds one huge array or a deep tree of concatenations.
 */
class ChunkedText {
  private readonly chunks: string[] = [];
  private pending: string[] = [];

  push(...parts: string[]): void {
    for (const p of parts) this.line(p);
  }

  /** Appends text (usually a whole line with its newline). */
  line(text: string): void {
    if (text === '') return;
    this.pending.push(text);
    if (this.pending.length >= 4096) this.flush();
  }

  private flush(): void {
    this.chunks.push(this.pending.join(''));
    this.pending = [];
  }

  toString(): string {
    this.flush();
    return this.chunks.join('');
  }
}

export interface PrintOptions {
  /** Print `[pkts:bytes]` before each rule that has counters (iptables-save -c style). */
  ruleCounters?: boolean;
}

function printTable(table: Table, out: ChunkedText, options: PrintOptions): void {
  out.push(`*${table.name}\n`);
  for (const chain of table.chains) out.push(chainLine(chain));
  for (const name of table.flushedChains ?? []) out.push(`-F ${name}\n`);
  const emit = (name: string, r: Rule) => {
    if (r.suppressions !== undefined) out.line(suppressionLine(r));
    out.line(`${ruleLine(name, r, options)}\n`);
  };
  if (table.ruleOrder) {
    for (const [name, r] of rulesInWriteOrder(table)) emit(name, r);
  } else {
    for (const chain of table.chains) for (const r of chain.rules) emit(chain.name, r);
  }
  for (const name of table.deletedChains) out.push(`-X ${name}\n`);
  out.push('COMMIT\n');
}

/**
 * Every rule of a table with its chain name: in `table.ruleOrder` when the table has one (rules
 * it does not reach follow, chain by chain), else chain by chain.
 */
export function rulesInWriteOrder(table: Table): [string, Rule][] {
  const out: [string, Rule][] = [];
  const next = new Map<string, number>();
  const byName = new Map(table.chains.map((c) => [c.name, c]));
  for (const name of table.ruleOrder ?? []) {
    const i = next.get(name) ?? 0;
    const r = byName.get(name)?.rules[i];
    if (!r) continue;
    next.set(name, i + 1);
    out.push([name, r]);
  }
  for (const chain of table.chains) {
    for (const r of chain.rules.slice(next.get(chain.name) ?? 0)) out.push([chain.name, r]);
  }
  return out;
}

/** The `# rulec-ignore-next-line` comment a rule was read with, or nothing. */
export function suppressionLine(r: Rule): string {
  return r.suppressions === undefined ? '' : `# rulec-ignore-next-line${r.suppressions.includes('*') ? '' : ` ${r.suppressions.join(', ')}`}\n`;
}

export function chainLine(chain: Chain): string {
  return `:${chain.name} ${chain.policy} [${chain.counters.packets}:${chain.counters.bytes}]\n`;
}

/** One rule as `-A CHAIN args…` (or `-I CHAIN N args…`), without the newline. */
export function ruleLine(chainName: string, r: Rule, options: PrintOptions = {}): string {
  let line = options.ruleCounters && r.counters ? `[${r.counters.packets}:${r.counters.bytes}] ` : '';
  if (r.insertAt === undefined) line += `-A ${chainName}`;
  else if (r.insertAt === 1) line += `-I ${chainName}`;
  else line += `-I ${chainName} ${r.insertAt}`;
  return r.args.length === 0 ? line : `${line} ${printArgs(r.args)}`;
}

/** Arguments as they are written in a rule, separated by single spaces. */
export function printArgs(args: readonly Arg[]): string {
  // Built by concatenation, which the engine does without intermediate arrays: this runs once
  // for each of the hundreds of thousands of rules of a large rule set.
  let text = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    if (i > 0) text += ' ';
    if (a.negated) text += '! ';
    text += a.flag;
    const values = a.values;
    for (let k = 0; k < values.length; k++) text += ` ${quoteWord(values[k] as string)}`;
  }
  return text;
}

/**
 * Quotes a value the way iptables-restore reads it back: words with white space or quote
 * characters go in double quotes with `"` and `\` escaped; anything else is written bare.
 */
export function quoteWord(value: string): string {
  return isPlainWord(value) ? value : `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const WHITE_SPACE = /\s/;

/** A non-empty value without white space, quotes or backslashes. */
function isPlainWord(value: string): boolean {
  const n = value.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    // Space, tab to carriage return, `"`, `'` and `\`; beyond ASCII, what JavaScript calls
    // white space (no-break space, line separator…).
    if (c === 32 || (c >= 9 && c <= 13) || c === 34 || c === 39 || c === 92) return false;
    if (c >= 127 && WHITE_SPACE.test(value[i] as string)) return false;
  }
  return true;
}

const BUILTIN_CHAINS: ReadonlySet<string> = new Set(['INPUT', 'OUTPUT', 'FORWARD', 'PREROUTING', 'POSTROUTING']);

export interface RulesPrintOptions {
  /** Print counters as `iptables -v -S` does: `-c pkts bytes` on policies and rules. */
  counters?: boolean;
}

/**
 * Prints a rule set as `iptables -S` lists it, table after table: the `-P` lines of the
 * built-in chains, the `-N` lines of the other chains, then the rules chain by chain. With
 * counters, `-c pkts bytes` ends a policy line and stands before a rule's target, where
 * `iptables -v -S` prints it. `iptables -S` names no table; a reader infers it.
 */
export function printIptablesRules(ruleSet: IptablesRuleSet, options: RulesPrintOptions = {}): string {
  const out = new ChunkedText();
  for (const table of ruleSet.tables) {
    for (const chain of table.chains) {
      if (chain.policy === '-') continue;
      const c = options.counters ? ` -c ${chain.counters.packets} ${chain.counters.bytes}` : '';
      out.push(`-P ${chain.name} ${chain.policy}${c}\n`);
    }
    for (const chain of table.chains) {
      if (chain.policy === '-' && !BUILTIN_CHAINS.has(chain.name)) out.push(`-N ${chain.name}\n`);
    }
    for (const name of table.flushedChains ?? []) out.push(`-F ${name}\n`);
    for (const [name, r] of rulesInWriteOrder(table)) out.push(suppressionLine(r), listedRuleLine(name, r, options), '\n');
    for (const name of table.deletedChains) out.push(`-X ${name}\n`);
  }
  return out.toString();
}

/** One rule as `iptables -S` prints it, `-c pkts bytes` before the target when asked. */
function listedRuleLine(chainName: string, r: Rule, options: RulesPrintOptions): string {
  const head = r.insertAt === undefined ? `-A ${chainName}` : `-I ${chainName}${r.insertAt === 1 ? '' : ` ${r.insertAt}`}`;
  if (!options.counters || r.counters === undefined) {
    const rest = printArgs(r.args);
    return head + (rest ? ` ${rest}` : '');
  }
  const t = r.args.findIndex((a) => a.flag === '-j' || a.flag === '--jump' || a.flag === '-g' || a.flag === '--goto');
  const at = t < 0 ? r.args.length : t;
  const parts = [head, printArgs(r.args.slice(0, at)), `-c ${r.counters.packets} ${r.counters.bytes}`, printArgs(r.args.slice(at))];
  return parts.filter((p) => p !== '').join(' ');
}
