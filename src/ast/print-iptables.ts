import type { Arg, Chain, IptablesRuleSet, Rule, Table } from './types.js';

/**
 * Prints a rule set as `iptables-restore` input: per table `*name`, the chain lines, the rules
 * chain by chain, the `-X` lines of deleted chains, `COMMIT`. This is the only place that
 * writes iptables rule text.
 */
export function printIptablesRestore(ruleSet: IptablesRuleSet, options: PrintOptions = {}): string {
  const out: string[] = [];
  for (const table of ruleSet.tables) printTable(table, out, options);
  return out.join('');
}

export interface PrintOptions {
  /** Print `[pkts:bytes]` before each rule that has counters (iptables-save -c style). */
  ruleCounters?: boolean;
}

function printTable(table: Table, out: string[], options: PrintOptions): void {
  out.push(`*${table.name}\n`);
  for (const chain of table.chains) out.push(chainLine(chain));
  for (const chain of table.chains) {
    for (const r of chain.rules) out.push(ruleLine(chain.name, r, options), '\n');
  }
  for (const name of table.deletedChains) out.push(`-X ${name}\n`);
  out.push('COMMIT\n');
}

export function chainLine(chain: Chain): string {
  return `:${chain.name} ${chain.policy} [${chain.counters.packets}:${chain.counters.bytes}]\n`;
}

/** One rule as `-A CHAIN args…` (or `-I CHAIN N args…`), without the newline. */
export function ruleLine(chainName: string, r: Rule, options: PrintOptions = {}): string {
  const head =
    r.insertAt === undefined ? `-A ${chainName}` : `-I ${chainName}${r.insertAt === 1 ? '' : ` ${r.insertAt}`}`;
  const counters = options.ruleCounters && r.counters ? `[${r.counters.packets}:${r.counters.bytes}] ` : '';
  const rest = printArgs(r.args);
  return counters + head + (rest ? ` ${rest}` : '');
}

export function printArgs(args: readonly Arg[]): string {
  const words: string[] = [];
  for (const a of args) {
    if (a.negated) words.push('!');
    words.push(a.flag);
    for (const v of a.values) words.push(quoteWord(v));
  }
  return words.join(' ');
}

const PLAIN_WORD = /^[^\s"'\\]+$/;

/**
 * Quotes a value the way iptables-restore reads it back: words with white space or quote
 * characters go in double quotes with `"` and `\` escaped; anything else is written bare.
 */
export function quoteWord(value: string): string {
  if (value !== '' && PLAIN_WORD.test(value)) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
