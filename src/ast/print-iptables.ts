import type { Arg, Chain, IptablesRuleSet, Rule, Table } from './types.js';
import { ByteWriter, type TextSink } from './byte-writer.js';

/**
 * Prints a rule set as `iptables-restore` input: per table `*name`, the chain lines, the rules
 * chain by chain, the `-X` lines of deleted chains, `COMMIT`. This is the only place that
 * writes iptables rule text.
 */
export function printIptablesRestore(ruleSet: IptablesRuleSet, options: PrintOptions = {}): string {
  return restoreText(ruleSet, options).toString();
}

function restoreText(ruleSet: IptablesRuleSet, options: PrintOptions): ByteWriter {
  const out = new ByteWriter(estimateBytes(ruleSet));
  writeIptablesRestore(out, ruleSet, options);
  return out;
}

/** Writes the `iptables-restore` text of a rule set to `out`. */
export function writeIptablesRestore(out: TextSink, ruleSet: IptablesRuleSet, options: PrintOptions = {}): void {
  for (const table of ruleSet.tables) printTable(table, out, options);
}

/** A generous guess of the text's size, so that the buffer rarely grows. */
function estimateBytes(ruleSet: IptablesRuleSet): number {
  let rules = 0;
  for (const t of ruleSet.tables) for (const c of t.chains) rules += c.rules.length + 1;
  return 1024 + rules * 96;
}

class StringSink implements TextSink {
  text = '';

  write(s: string): void {
    this.text += s;
  }

  writeWord(s: string, quote: (s: string) => string): void {
    this.text += quote(s);
  }
}

export interface PrintOptions {
  /** Print `[pkts:bytes]` before each rule that has counters (iptables-save -c style). */
  ruleCounters?: boolean;
}

function printTable(table: Table, out: TextSink, options: PrintOptions): void {
  out.write(`*${table.name}\n`);
  for (const chain of table.chains) out.write(chainLine(chain));
  for (const name of table.flushedChains ?? []) out.write(`-F ${name}\n`);
  const emit = (name: string, r: Rule) => {
    if (r.suppressions !== undefined) out.write(suppressionLine(r));
    writeRule(out, name, r, options);
    out.write('\n');
  };
  if (table.ruleOrder) {
    for (const [name, r] of rulesInWriteOrder(table)) emit(name, r);
  } else {
    for (const chain of table.chains) for (const r of chain.rules) emit(chain.name, r);
  }
  for (const name of table.deletedChains) out.write(`-X ${name}\n`);
  out.write('COMMIT\n');
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

/**
 * `:NAME POLICY [pkts:bytes]`; without `[pkts:bytes]` for a chain whose counters the text it
 * was read from did not show (an `iptables -L` listing without `-v`), which iptables-restore
 * reads as well.
 */
export function chainLine(chain: Chain): string {
  const c = chain.counters;
  return c === undefined ? `:${chain.name} ${chain.policy}\n` : `:${chain.name} ${chain.policy} [${c.packets}:${c.bytes}]\n`;
}

/** One rule as `-A CHAIN args…` (or `-I CHAIN N args…`), without the newline. */
export function ruleLine(chainName: string, r: Rule, options: PrintOptions = {}): string {
  const out = new StringSink();
  writeRule(out, chainName, r, options);
  return out.text;
}

function writeRule(out: TextSink, chainName: string, r: Rule, options: PrintOptions): void {
  if (options.ruleCounters && r.counters) out.write(`[${r.counters.packets}:${r.counters.bytes}] `);
  out.write(r.insertAt === undefined ? '-A ' : '-I ');
  out.write(chainName);
  if (r.insertAt !== undefined && r.insertAt !== 1) out.write(` ${r.insertAt}`);
  if (r.args.length > 0) {
    out.write(' ');
    writeArgs(out, r.args);
  }
}

/** Arguments as they are written in a rule, separated by single spaces. */
export function printArgs(args: readonly Arg[]): string {
  const out = new StringSink();
  writeArgs(out, args);
  return out.text;
}

function writeArgs(out: TextSink, args: readonly Arg[]): void {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    if (i > 0) out.write(' ');
    if (a.negated) out.write('! ');
    out.write(a.flag);
    const values = a.values;
    for (let k = 0; k < values.length; k++) {
      out.write(' ');
      out.writeWord(values[k] as string, quoteWord);
    }
  }
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
  const out = new ByteWriter(estimateBytes(ruleSet));
  for (const table of ruleSet.tables) {
    for (const chain of table.chains) {
      if (chain.policy === '-') continue;
      const c = options.counters && chain.counters ? ` -c ${chain.counters.packets} ${chain.counters.bytes}` : '';
      out.write(`-P ${chain.name} ${chain.policy}${c}\n`);
    }
    for (const chain of table.chains) {
      if (chain.policy === '-' && !BUILTIN_CHAINS.has(chain.name)) out.write(`-N ${chain.name}\n`);
    }
    for (const name of table.flushedChains ?? []) out.write(`-F ${name}\n`);
    for (const [name, r] of rulesInWriteOrder(table)) {
      out.write(suppressionLine(r));
      out.write(listedRuleLine(name, r, options));
      out.write('\n');
    }
    for (const name of table.deletedChains) out.write(`-X ${name}\n`);
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
