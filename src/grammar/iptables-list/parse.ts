import { shorten } from '../../display-text.js';
import { builtinChains } from '../../ast/print-as-saved.js';
import type { Arg, Chain, IpFamily, IptablesRuleSet, Rule, SourcePos, Table } from '../../ast/types.js';
import { STANDARD_TARGETS, TARGET_OPTIONS } from '../../ast/xtables/modules.js';
import type { Diagnostic, Severity } from '../../diagnostics.js';
import type { ParseResult } from '../format.js';
import { LIST_CODES } from './codes.js';
import { TARGET_EXTENSIONS, readAddress, readInterface, type AddressColumn } from './columns.js';
import { parseCounter } from './counters.js';
import { lossReasons, type LossKind } from './fidelity.js';
import type { ArgDraft, Item } from './items.js';
import {
  isBlankLine,
  isHeaderLike,
  parseChainLine,
  parseCommandLine,
  parseHeader,
  type CommandLine,
  type Layout,
} from './lines.js';
import { parseMatchText, tokenEnd } from './match-text.js';
import { resolvePortNames } from './ports.js';
import { protocolArg } from './protocols.js';
import { splitRow, type RowColumns } from './row.js';
import { isBlank, skipBlanks } from './scan.js';
import { inferTableWithReason } from '../iptables-save/table-inference.js';
import { clip } from '../../display-text.js';
import { ErrorLineLimit } from '../limits.js';

/** The flag of the argument that keeps match text the parser did not understand. */
export const UNPARSED_FLAG = '--rulec-unparsed';

export const LIST_FORMAT_ID = 'iptables-list';

/** The chains listed from one command line (or one run of the listing), before tables are put together. */
interface TableDraft {
  command?: CommandLine;
  pos: SourcePos;
  chains: Chain[];
  chainNames: Set<string>;
  /** The built-in chains listed (those printed with a policy). */
  builtins: Set<string>;
  v4: boolean;
  v6: boolean;
  loss: Set<LossKind>;
  /** `!anywhere` addresses, whose value waits for the family. */
  anywhere: Arg[];
  /** Rows of a chain whose title lines a filter (`| grep`) cut off. */
  grepped?: boolean;
}

/** A table of the result, and the drafts it was put together from. */
interface TableParts {
  table: Table;
  ruleSet: IptablesRuleSet;
  drafts: TableDraft[];
  /** The names of the table's chains. */
  names: Set<string>;
}

/**
 * Parses `iptables [-t T] -L [chain] [-n] [-v] [-x] [--line-numbers]` output (and ip6tables')
 * into rule sets. A fast line splitter recognises chain lines, column headers and rows; each
 * row's fixed columns are split by plain string operations and its match text is parsed by the
 * chevrotain grammar (match-parser.ts). Every problem is a diagnostic; nothing throws.
 */
export function parseIptablesList(text: string, file: string, firstLine = 1): ParseResult {
  const p = new ListingParser(file);
  // A byte order mark is not part of the first line.
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNo = firstLine;
  const limit = new ErrorLineLimit(p.diagnostics, file);
  for (;;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    p.line(line, lineNo);
    if (end >= text.length || !limit.goOn(lineNo)) break;
    start = end + 1;
    lineNo++;
  }
  return p.finish();
}

/**
 * Lines a person pastes around a listing: `---`, `...`, a bare prompt (`$`, `root@node:~#`),
 * `# comments`, and the `Warning: iptables-legacy tables present` note of iptables-nft.
 */
function isJunk(line: string, lead: number): boolean {
  let end = line.length;
  while (end > lead && isBlank(line.charCodeAt(end - 1))) end--;
  if (end <= lead) return false;
  const c = line.charAt(lead);
  const last = line.charAt(end - 1);
  if ((c === '-' || c === '.') && end - lead >= 3) {
    let same = true;
    for (let i = lead; i < end && same; i++) same = line.charAt(i) === c;
    if (same) return true;
  }
  if (end - lead === 1 && '…$#%>'.includes(c)) return true;
  if (c === '#' || line.startsWith('Warning: ', lead)) return true;
  if (last !== '$' && last !== '#') return false;
  // A bare prompt: `root@node:~#`, `user@host:~$`, `[root@node ~]#`.
  const t = line.slice(lead, end);
  return (c === '[' && t.includes(']')) || (!/[ \t]/.test(t) && /[@:~]/.test(t));
}

/** Control characters (tab aside) and U+FFFD, which stands for bytes that were not UTF-8. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/;

const BUILTIN_ORDER = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

class ListingParser {
  readonly diagnostics: Diagnostic[] = [];
  private readonly tables: TableDraft[] = [];
  private table: TableDraft | undefined;
  private chain: Chain | undefined;
  private layout: Layout | undefined;
  private lastLayout: Layout | undefined;
  private chainNeedsHeader = false;
  /** Whether the rows under a bad `Chain` line were reported (once per such line). */
  private orphanReported = false;
  private lineNo = 0;
  /** Parsed column headers by text: every chain repeats the same one. */
  private readonly headers = new Map<string, Layout | { error: string }>();
  private errors = 0;

  constructor(private readonly file: string) {}

  line(line: string, lineNo: number): void {
    this.lineNo = lineNo;
    if (isBlankLine(line)) return;
    const lead = skipBlanks(line, 0);
    const bad = line.search(CONTROL);
    if (bad >= 0) {
      const code = (line.codePointAt(bad) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      return this.diag(bad, 'error', LIST_CODES.strayByte, `stray character U+${code} in the line; line skipped`);
    }
    if (line.startsWith('Chain', lead) && (line.length === lead + 5 || isBlank(line.charCodeAt(lead + 5)))) {
      return this.chainLine(line, lead);
    }
    const c = line.charCodeAt(lead);
    // Only lines starting with "num", "pkts" or "target" can be headers.
    if ((c === 110 || c === 112 || c === 116) && isHeaderLike(line)) return this.header(line, lead);
    const cmd = parseCommandLine(line);
    if (cmd !== undefined) return this.command(cmd, lead);
    if (isJunk(line, lead)) {
      return this.diag(lead, 'warning', LIST_CODES.stray, 'not part of an iptables listing; skipped');
    }
    if (this.chain === undefined && this.rowsOfNamedChain(lead)) {
      // The rows of one chain with its title lines cut off (`iptables -t nat -L X | grep y`).
    } else if (this.chain === undefined) {
      if (this.tables.length === 0 || this.table?.chains.length === 0) {
        return this.diag(lead, 'warning', LIST_CODES.stray, 'text before the first "Chain" line; skipped');
      }
      if (!this.orphanReported) this.diag(lead, 'error', LIST_CODES.orphanRow, 'rule row under a bad "Chain" line; rows skipped');
      this.orphanReported = true;
      return;
    }
    if (this.chain === undefined) return;
    if (this.layout === undefined) {
      if (this.chainNeedsHeader) {
        this.chainNeedsHeader = false;
        const msg = this.lastLayout
          ? `rule row before the column header of chain ${this.chain.name}; read with the previous header's columns`
          : `rule row before the column header of chain ${this.chain.name}; rows skipped`;
        this.diag(lead, 'error', LIST_CODES.orphanRow, msg);
      }
      if (this.lastLayout === undefined) return;
      this.layout = this.lastLayout;
    }
    this.row(line, this.chain, this.layout);
  }

  /**
   * A row right after a pasted command that lists one user-defined chain and filters its output
   * (`iptables -t nat -L KUBE-SERVICES | grep web`): the `Chain` and column title lines are cut
   * off, so the chain is the one the command names and the columns are those the command's
   * options print. The chain is an excerpt (`grep` kept only some rows), with a note.
   */
  private rowsOfNamedChain(lead: number): boolean {
    const t = this.table;
    const cmd = t?.command;
    if (t === undefined || cmd === undefined || cmd.chain === undefined || !cmd.filtered || t.chains.length > 0 || BUILTIN_ORDER.includes(cmd.chain)) return false;
    const header = `${cmd.lineNumbers ? 'num ' : ''}${cmd.verbose ? 'pkts bytes ' : ''}target prot opt ${cmd.verbose ? 'in out ' : ''}source destination`;
    const layout = parseHeader(header);
    if ('error' in layout) return false;
    const chain: Chain = { name: cmd.chain, policy: '-', counters: { packets: 0, bytes: 0 }, rules: [], pos: this.pos(lead) };
    t.chains.push(chain);
    t.chainNames.add(chain.name);
    t.grepped = true;
    this.chain = chain;
    this.layout = layout;
    this.chainNeedsHeader = false;
    this.diag(lead, 'note', LIST_CODES.stray, `rows of chain ${cmd.chain} without its title lines, as the command's filter left them; read with the columns its options print`);
    return true;
  }

  private diag(offset: number, severity: Severity, code: string, message: string, lineNo = this.lineNo): void {
    if (severity === 'error') this.errors++;
    this.diagnostics.push({ file: this.file, line: lineNo, column: offset + 1, severity, code, message });
  }

  private pos(offset: number): SourcePos {
    return { file: this.file, line: this.lineNo, column: offset + 1 };
  }

  private newTable(offset: number, command?: CommandLine): TableDraft {
    const t: TableDraft = {
      pos: this.pos(offset),
      chains: [],
      chainNames: new Set(),
      builtins: new Set(),
      v4: false,
      v6: false,
      loss: new Set(),
      anywhere: [],
    };
    if (command) t.command = command;
    this.tables.push(t);
    this.table = t;
    return t;
  }

  private command(cmd: CommandLine, lead: number): void {
    const t = this.table;
    if (t !== undefined && t.chains.length === 0) {
      t.command = cmd;
      t.pos = this.pos(lead);
    } else {
      this.newTable(lead, cmd);
    }
    this.chain = undefined;
    this.layout = undefined;
  }

  private chainLine(line: string, lead: number): void {
    const parsed = parseChainLine(line.slice(lead));
    if ('error' in parsed) {
      this.diag(lead, 'error', LIST_CODES.badChain, `bad chain line: ${parsed.error}`);
      this.chain = undefined;
      this.layout = undefined;
      this.orphanReported = false;
      return;
    }
    let t = this.table;
    if (t === undefined || this.startsOver(t, parsed.name, parsed.builtin)) t = this.newTable(lead);
    // A built-in chain has counters when the listing prints them (-v); a user-defined chain has
    // none in the kernel, which iptables-save prints as [0:0].
    let counters: Chain['counters'];
    if (parsed.packets !== undefined && parsed.bytes !== undefined) {
      counters = {
        packets: this.counter(parsed.packets, lead + (parsed.packetsAt ?? 0), 'packet'),
        bytes: this.counter(parsed.bytes, lead + (parsed.bytesAt ?? 0), 'byte'),
      };
    } else if (!parsed.builtin) {
      counters = { packets: 0, bytes: 0 };
    }
    const pos = this.pos(lead);
    const chain: Chain =
      counters === undefined
        ? { name: parsed.name, policy: parsed.policy, rules: [], pos }
        : { name: parsed.name, policy: parsed.policy, counters, rules: [], pos };
    t.chains.push(chain);
    t.chainNames.add(chain.name);
    if (parsed.builtin) t.builtins.add(chain.name);
    this.chain = chain;
    this.layout = undefined;
    this.chainNeedsHeader = true;
  }

  /**
   * Whether a chain line begins the listing of another table: iptables lists a table's
   * built-in chains first, in PREROUTING INPUT FORWARD OUTPUT POSTROUTING order, then its
   * user-defined chains, each once.
   */
  private startsOver(t: TableDraft, name: string, builtin: boolean): boolean {
    if (t.chainNames.has(name)) return true;
    if (!builtin) return false;
    const last = t.chains[t.chains.length - 1];
    if (last === undefined) return false;
    if (!t.builtins.has(last.name)) return true;
    return BUILTIN_ORDER.indexOf(name) < BUILTIN_ORDER.indexOf(last.name);
  }

  private header(line: string, lead: number): void {
    let layout = this.headers.get(line);
    if (layout === undefined) {
      layout = parseHeader(line);
      this.headers.set(line, layout);
    }
    if ('error' in layout) {
      this.diag(lead, 'error', LIST_CODES.badHeader, `bad column header: ${layout.error}`);
      return;
    }
    this.lastLayout = layout;
    if (this.chain === undefined) {
      this.diag(lead, 'warning', LIST_CODES.stray, 'column header outside a chain');
      return;
    }
    this.layout = layout;
    this.chainNeedsHeader = false;
  }

  private counter(text: string, offset: number, what: string): number {
    const c = parseCounter(text);
    if (c === undefined) {
      this.diag(offset, 'error', LIST_CODES.badCounter, `bad ${what} counter "${clip(text, 60)}"`);
      return 0;
    }
    if (!Number.isSafeInteger(c.value)) {
      this.diag(offset, 'warning', LIST_CODES.badCounter, `${what} counter ${clip(text, 60)} is too large to keep exactly`);
    }
    return c.value;
  }

  private row(line: string, chain: Chain, layout: Layout): void {
    const t = this.table;
    if (t === undefined) return;
    const cols = splitRow(line, layout);
    if ('error' in cols) return this.diag(cols.at, 'error', LIST_CODES.badRow, `bad rule row: ${cols.error}`);

    if (cols.num !== undefined) {
      const expected = chain.rules.length + 1;
      if (!/^[0-9]+$/.test(cols.num.text)) {
        return this.diag(cols.num.start, 'error', LIST_CODES.badRow, `bad rule row: rule number "${clip(cols.num.text, 60)}"`);
      }
      if (Number(cols.num.text) !== expected) {
        this.diag(cols.num.start, 'warning', LIST_CODES.lineNumber, `rule number ${cols.num.text} where ${expected} was expected`);
      }
    }
    const errorsBefore = this.errors;
    let counters: Rule['counters'];
    if (cols.pkts !== undefined && cols.bytes !== undefined) {
      counters = {
        packets: this.counter(cols.pkts.text, cols.pkts.start, 'packet'),
        bytes: this.counter(cols.bytes.text, cols.bytes.start, 'byte'),
      };
      if (this.errors > errorsBefore) return;
    }
    const args = this.columnArgs(cols, t);
    if (args === undefined) return;
    if (!layout.via) t.loss.add('no-interfaces');

    const target = cols.target?.text ?? '';
    const matchText = line.slice(cols.matchStart);
    const items = parseMatchText(matchText, target);
    // Matches go before `-j`, the target's own options after it.
    let after: Arg[] | undefined;
    let goto = false;
    let inTarget = false;
    let portNames = false;
    for (let index = 0; index < items.length; index++) {
      const it = items[index] as Item;
      if (it.lossy === 'port-names') portNames = true;
      else if (it.lossy !== undefined) t.loss.add(it.lossy);
      if (it.kind === 'goto') {
        goto = true;
      } else if (it.kind === 'unknown') {
        const arg = this.unparsed(matchText, cols.matchStart, it);
        t.loss.add('unparsed');
        const last = index === items.length - 1;
        if (inTarget || (last && TARGET_EXTENSIONS.has(target))) (after ??= []).push(arg);
        else args.push(arg);
      } else if (it.kind === 'target') {
        inTarget = true;
        for (const a of it.args) (after ??= []).push(this.arg(a, cols.matchStart));
      } else {
        for (const a of it.args) args.push(this.arg(a, cols.matchStart));
      }
    }
    if (portNames && !resolvePortNames(args)) t.loss.add('port-names');
    if (cols.target !== undefined) {
      args.push({ flag: goto ? '-g' : '-j', negated: false, values: [target], column: cols.target.start + 1 });
    }
    if (after !== undefined) for (const a of after) args.push(a);
    const first = cols.num ?? cols.pkts ?? cols.target ?? cols.prot;
    // An exact-length copy: arrays grown by push keep spare capacity for the life of the AST.
    const rule: Rule = { args: args.slice(), pos: this.pos(first.start) };
    if (counters !== undefined) rule.counters = counters;
    chain.rules.push(rule);
  }

  /** `-s -d -i -o -p -f` from the fixed columns, in iptables-save's order. */
  private columnArgs(cols: RowColumns, t: TableDraft): Arg[] | undefined {
    const args: Arg[] = [];
    const src = readAddress(cols.source.text);
    const dst = readAddress(cols.destination.text);
    if (src === undefined) {
      this.diag(cols.source.start, 'error', LIST_CODES.badRow, `bad rule row: source "${clip(cols.source.text, 60)}"`);
      return undefined;
    }
    if (dst === undefined) {
      this.diag(cols.destination.start, 'error', LIST_CODES.badRow, `bad rule row: destination "${clip(cols.destination.text, 60)}"`);
      return undefined;
    }
    const prot = cols.prot.text.startsWith('!') ? cols.prot.text.slice(1) : cols.prot.text;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(prot)) {
      this.diag(cols.prot.start, 'error', LIST_CODES.badRow, `bad rule row: protocol "${clip(cols.prot.text, 60)}"`);
      return undefined;
    }
    this.address('-s', src, cols.source.start, args, t);
    this.address('-d', dst, cols.destination.start, args, t);
    for (const [flag, w] of [['-i', cols.in], ['-o', cols.out]] as const) {
      if (w === undefined) continue;
      const i = readInterface(w.text);
      if (i.name !== undefined) args.push({ flag, negated: i.negated, values: [i.name], column: w.start + 1 });
    }
    const p = protocolArg(prot);
    if (p !== undefined) {
      args.push({ flag: '-p', negated: cols.prot.text.startsWith('!'), values: [p], column: cols.prot.start + 1 });
    }
    if (cols.opt !== undefined && cols.opt.text !== '--') {
      args.push({ flag: '-f', negated: cols.opt.text === '!f', values: [], column: cols.opt.start + 1 });
    }
    return args;
  }

  private address(flag: string, a: AddressColumn, offset: number, args: Arg[], t: TableDraft): void {
    if (a.kind === 'ipv4') t.v4 = true;
    if (a.kind === 'ipv6') t.v6 = true;
    if (a.kind === 'name') t.loss.add('host-names');
    if (a.kind === 'none') return;
    const arg: Arg = { flag, negated: a.negated, values: [a.value], column: offset + 1 };
    if (a.kind === 'anywhere') t.anywhere.push(arg);
    args.push(arg);
  }

  private arg(a: ArgDraft, base: number): Arg {
    return { flag: a.flag, negated: a.negated, values: a.values, column: base + a.at.startOffset + 1 };
  }

  private unparsed(matchText: string, base: number, it: Item): Arg {
    const raw = matchText.slice(it.first.startOffset, tokenEnd(it.last));
    const offset = base + it.first.startOffset;
    const why = it.broken === undefined ? 'not understood' : `not understood (${shorten(it.broken, 300)})`;
    this.diag(offset, 'warning', LIST_CODES.unparsed, `match text "${clip(raw, 60)}" ${why}; kept as ${UNPARSED_FLAG}`);
    return { flag: UNPARSED_FLAG, negated: false, values: [raw], column: offset + 1 };
  }

  finish(): ParseResult {
    const ruleSets: IptablesRuleSet[] = [];
    /** Per family, the rule set tables go to: a table listed again starts the next one. */
    const current = new Map<IpFamily, IptablesRuleSet>();
    const parts = new Map<Table, TableParts>();
    const losses = new Map<IptablesRuleSet, Set<LossKind>>();
    let into: TableParts | undefined;
    for (const draft of this.tables) {
      if (draft.chains.length === 0) continue;
      const family: IpFamily = draft.command?.family ?? (draft.v6 && !draft.v4 ? 'ipv6' : 'ipv4');
      if (family === 'ipv6') for (const a of draft.anywhere) a.values = ['::/0'];
      const named = draft.command?.table;
      const inferred = named === undefined ? inferTableWithReason(draft) : undefined;
      const name = named ?? inferred?.table ?? 'filter';
      let rs = current.get(family);
      const same = rs?.tables.find((t) => t.name === name);
      into = same === undefined ? undefined : parts.get(same);
      if (into !== undefined && canMerge(into, draft, inferred !== undefined)) {
        for (const c of draft.chains) {
          into.table.chains.push(c);
          into.names.add(c.name);
        }
        into.drafts.push(draft);
      } else {
        if (rs === undefined || same !== undefined) {
          rs = { kind: 'iptables', family, tables: [], origin: LIST_FORMAT_ID, fidelity: 'exact', pos: draft.pos };
          ruleSets.push(rs);
          current.set(family, rs);
          losses.set(rs, new Set());
        }
        const table: Table = { name, chains: draft.chains, deletedChains: [], committed: true, pos: draft.pos };
        if (inferred !== undefined) {
          table.inferredFrom = inferred.reason;
          this.diagnostics.push({
            file: this.file,
            line: draft.pos.line,
            column: draft.pos.column,
            severity: 'note',
            code: LIST_CODES.tableInferred,
            message: `the listing does not name its table; read as the ${name} table (from ${inferred.reason})`,
          });
        }
        rs.tables.push(table);
        into = { table, ruleSet: rs, drafts: [draft], names: new Set(draft.chainNames) };
        parts.set(table, into);
      }
      const loss = losses.get(into.ruleSet);
      if (loss !== undefined) for (const k of draft.loss) loss.add(k);
    }
    for (const p of parts.values()) {
      const why = excerptOf(p);
      if (why !== undefined) p.table.excerpt = why;
    }
    for (const [rs, loss] of losses) {
      if (loss.size === 0) continue;
      rs.fidelity = 'lossy';
      rs.lossyBecause = lossReasons(loss);
    }
    this.diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ruleSets, diagnostics: this.diagnostics };
  }
}

/**
 * Whether the chains of a draft join a table of the same name listed before: chains listed by
 * separate commands (`iptables -t nat -L KUBE-SERVICES`, then `… -L KUBE-SVC-…`) are one table.
 * A chain listed again is a second listing of the table, and a table named on a command line
 * does not take in chains whose table was inferred (nor the other way round).
 */
function canMerge(into: TableParts, draft: TableDraft, inferred: boolean): boolean {
  if ((into.table.inferredFrom !== undefined) !== inferred) return false;
  for (const name of draft.chainNames) if (into.names.has(name)) return false;
  return true;
}

/** Targets that are not chains: verdicts and the extensions rulec knows. */
function isChainTarget(target: string): boolean {
  return !STANDARD_TARGETS.has(target) && !TARGET_EXTENSIONS.has(target) && !Object.hasOwn(TARGET_OPTIONS, target);
}

const MAX_NAMED = 3;

/** `A`, `A, B`, `A, B, C and 4 more`. */
function nameList(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMED).join(', ');
  return names.length > MAX_NAMED ? `${shown} and ${names.length - MAX_NAMED} more` : shown;
}

/**
 * Why a table holds only part of what it has, or undefined when the listing shows all of it:
 * chains listed one at a time (`iptables -L CHAIN`), built-in chains missing (a table always
 * lists all of its own), or chains jumped to that are not listed (a cut listing).
 */
function excerptOf(p: TableParts): string | undefined {
  const { table } = p;
  const bin = p.ruleSet.family === 'ipv6' ? 'ip6tables' : 'iptables';
  const listed: string[] = [];
  for (const d of p.drafts) if (d.command?.chain !== undefined) listed.push(d.command.chain);
  const names = table.chains.map((c) => c.name);
  const grepped = p.drafts.filter((d) => d.grepped === true && d.command?.chain !== undefined).map((d) => d.command?.chain ?? '');
  if (grepped.length > 0) return `only the rows of ${nameList(grepped)} that a filter (grep) kept are listed`;
  if (listed.length > 0) {
    const how = listed.length > MAX_NAMED ? `${bin} -L CHAIN, ${listed.length} times` : listed.map((c) => `${bin} -L ${c}`).join(', ');
    if (names.length === 1) return `only chain ${names[0] ?? ''} is listed (${how})`;
    if (names.length <= MAX_NAMED) return `only chains ${names.join(', ')} are listed (${how})`;
    return `only ${names.length} chains are listed (${how})`;
  }
  const have = p.names;
  const missing = builtinChains(table.name).filter((b) => !have.has(b));
  if (missing.length === 1) return `built-in chain ${missing[0] ?? ''} is not listed`;
  if (missing.length > 1) return `built-in chains ${missing.join(', ')} are not listed`;
  const jumped = new Set<string>();
  for (const c of table.chains) {
    for (const r of c.rules) {
      for (const a of r.args) {
        if (a.flag !== '-j' && a.flag !== '-g') continue;
        const target = a.values[0] ?? '';
        if (!have.has(target) && isChainTarget(target)) jumped.add(target);
      }
    }
  }
  const [first] = jumped;
  if (jumped.size === 1) return `chain ${first ?? ''} is jumped to but not listed`;
  if (jumped.size > 1) return `chains ${nameList([...jumped])} are jumped to but not listed`;
  return undefined;
}
