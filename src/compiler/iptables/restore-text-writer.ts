import { ByteWriter } from '../../ast/byte-writer.js';
import { chainOrderOf, compareChainNames, orderServiceRules, sortsRulesByService } from '../../ast/canonical-order.js';
import { quoteWord, ruleLine } from '../../ast/print-iptables.js';
import type { Arg } from '../../ast/types.js';
import { BUILTIN_CHAINS, type BuiltinRules } from '../builtin-chains.js';
import type { ChainRule, IptablesSink } from '../xtables/rule-sink.js';
import { own } from '../../records.js';

/**
 * Writes the rules a backend decides as `iptables-restore` text as they come, and prints them
 * in canonical order at the end: the same bytes as printing the canonical AST
 * (`canonicalizeIptables`, `printIptablesRestore`), without a node per argument and rule.
 *
 * Every rule line goes into one buffer. Rules written one after another into one chain form a
 * run: one byte range. A large cluster's hundred thousand chains are written in a few runs
 * each, so no map by chain name is kept: the canonical order sorts the runs by chain name with
 * a stable sort, which brings each chain's runs together in the order they were written.
 */
export class RestoreTextWriter implements IptablesSink {
  private readonly text: ByteWriter;
  private readonly tables = new Map<string, TextTable>();
  private readonly current: TextRule;
  /** The table of the last run, while a rule may still extend it. */
  private lastTable: TextTable | undefined;

  /**
   * `expectedBytes`: room to set aside for the rules. Memory set aside but not written costs
   * nothing, so a generous guess saves growing (copying) the text; a short one only grows.
   */
  constructor(
    tableNames: readonly string[],
    expectedBytes = 1 << 20,
    /** Buffers to write into again (`TextBuffers`), in place of fresh ones. */
    private readonly buffers?: TextBuffers,
  ) {
    if (buffers) {
      buffers.text.clear();
      this.text = buffers.text;
    } else {
      this.text = textBuffer(expectedBytes);
    }
    for (const t of tableNames) this.tables.set(t, { name: t, names: [], starts: [], ends: [], comments: [], protocols: [], deleted: [], declared: undefined });
    this.current = new TextRule(this.text, (start, end, comment, protocol) => this.ruleWritten(start, end, comment, protocol));
  }

  rule(table: string, chain: string): ChainRule {
    const last = this.lastTable;
    const t = last?.name === table ? last : this.table(table);
    const at = t.names.length - 1;
    // A new run unless the rule follows the last one in the same chain; in the chains sorted
    // by service, every rule is a run.
    if (last !== t || at < 0 || t.names[at] !== chain || t.starts[at] === -1 || t.comments[at] !== NOT_SORTED) {
      this.push(t, chain, sortsRulesByService(table, chain) ? SORTED : NOT_SORTED);
      this.lastTable = t;
    }
    return this.current.begin(chain);
  }

  declare(table: string, chain: string): void {
    const t = this.table(table);
    if (t.declared?.has(chain)) return;
    this.push(t, chain, NOT_SORTED);
    this.lastTable = undefined;
  }

  isDeclared(table: string, chain: string): boolean {
    const t = this.table(table);
    t.declared ??= new Set(t.names);
    return t.declared.has(chain);
  }

  deleteChain(table: string, chain: string): void {
    this.declare(table, chain);
    this.table(table).deleted.push(chain);
  }

  /**
   * The restore text in canonical order. With `builtins`, each table starts with its built-in
   * chains (policy ACCEPT) holding the rules it gives, as `withBuiltinChains` adds them.
   */
  bytes(builtins?: BuiltinRules): Buffer {
    // In one chunk, which is never filled again: it can be kept as it is.
    let bytes: Buffer = Buffer.alloc(0);
    this.writeTo((chunk) => (bytes = chunk), builtins);
    return bytes;
  }

  /**
   * The text `bytes` gives, handed to `sink` in chunks of about `chunkBytes` (whole lines) as
   * they are made. A chunk is valid only while `sink` runs: the next is made in the same
   * buffer, which stays in the processor's caches, where fresh memory for each chunk would
   * cost the operating system a page fault per page. The last chunk is never filled again.
   */
  writeTo(sink: (chunk: Buffer) => void, builtins?: BuiltinRules, chunkBytes = Number.POSITIVE_INFINITY): void {
    for (const chunk of this.chunks(builtins, chunkBytes)) sink(chunk);
  }

  /**
   * The chunks `writeTo` hands over, one at a time: a chunk is valid until the next is asked
   * for. Made lazily, so a caller may stop or wait between chunks.
   */
  *chunks(builtins?: BuiltinRules, chunkBytes = Number.POSITIVE_INFINITY): Generator<Buffer, void, undefined> {
    if (this.current.isOpen) throw new Error('a rule was started but not added');
    const source = this.text;
    let runs = 0;
    for (const t of this.tables.values()) runs += t.names.length;
    const out = this.buffers?.out ?? new ByteWriter(Math.min(source.length + runs * 48 + 4096, chunkBytes + (1 << 16)));
    out.clear();
    // Every line ends with a look at the chunk size, so that the buffer never grows past it.
    for (const table of [...this.tables.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      out.write(`*${table.name}\n`);
      const { names, starts, ends } = table;
      const order = chainOrderOf(names);
      const declared = { has: (name: string) => this.isDeclared(table.name, name) };
      const builtin = builtins ? (own(BUILTIN_CHAINS, table.name) ?? []).map((name) => ({ name, rules: builtins(table.name, name, declared) })) : [];
      for (const b of builtin) {
        out.write(`:${b.name} ACCEPT [0:0]\n`);
        if (out.length >= chunkBytes) {
          yield out.bytes();
          out.clear();
        }
      }
      let previous: string | undefined;
      for (let k = 0; k < order.length; k++) {
        const name = names[order[k] as number] as string;
        if (name === previous) continue;
        previous = name;
        out.write(':');
        out.write(name);
        out.write(' - [0:0]\n');
        if (out.length >= chunkBytes) {
          yield out.bytes();
          out.clear();
        }
      }
      for (const b of builtin) {
        for (const r of b.rules) {
          out.write(`${ruleLine(b.name, r)}\n`);
          if (out.length >= chunkBytes) {
            yield out.bytes();
            out.clear();
          }
        }
      }
      for (let k = 0; k < order.length; ) {
        const run = order[k] as number;
        if (table.comments[run] === NOT_SORTED) {
          if ((starts[run] as number) >= 0) {
            out.writeFrom(source, starts[run] as number, ends[run] as number);
            if (out.length >= chunkBytes) {
              yield out.bytes();
              out.clear();
            }
          }
          k++;
          continue;
        }
        // A chain of many services' rules: its runs are one rule each, ordered by service.
        let end = k + 1;
        while (end < order.length && names[order[end] as number] === names[run]) end++;
        const rules = Array.from(order.subarray(k, end)).filter((r) => (starts[r] as number) >= 0);
        const comment = (r: number) => table.comments[r] as string | undefined;
        for (const r of orderServiceRules(table.name, rules, comment, (r) => table.protocols[r])) {
          out.writeFrom(source, starts[r] as number, ends[r] as number);
          if (out.length >= chunkBytes) {
            yield out.bytes();
            out.clear();
          }
        }
        k = end;
      }
      for (const name of [...table.deleted].sort(compareChainNames)) {
        out.write(`-X ${name}\n`);
        if (out.length >= chunkBytes) {
          yield out.bytes();
          out.clear();
        }
      }
      out.write('COMMIT\n');
      if (out.length >= chunkBytes) {
        yield out.bytes();
        out.clear();
      }
    }
    yield out.bytes();
  }

  /**
   * Where the rules written from now on start: `rulesSince` takes them, for `replay` into the
   * text of another node. A rule after a mark starts a run of its own, so that what is taken
   * holds whole runs; the text in canonical order is the same.
   */
  mark(): WriterMark {
    this.lastTable = undefined;
    const runs = new Map<string, { runs: number; deleted: number }>();
    for (const t of this.tables.values()) runs.set(t.name, { runs: t.names.length, deleted: t.deleted.length });
    return { text: this.text.length, tables: runs };
  }

  /** The rules (and declarations) written since `mark`, with their text. */
  rulesSince(mark: WriterMark): WrittenRules {
    if (this.current.isOpen) throw new Error('a rule was started but not added');
    this.lastTable = undefined;
    const text = new ByteWriter(Math.max(16, this.text.length - mark.text));
    text.writeFrom(this.text, mark.text, this.text.length);
    const tables: WrittenRules['tables'] = [];
    for (const t of this.tables.values()) {
      const from = mark.tables.get(t.name) ?? { runs: 0, deleted: 0 };
      if (t.names.length === from.runs && t.deleted.length === from.deleted) continue;
      const shift = (at: number) => (at < 0 ? at : at - mark.text);
      tables.push({
        name: t.name,
        names: t.names.slice(from.runs),
        starts: t.starts.slice(from.runs).map(shift),
        ends: t.ends.slice(from.runs).map(shift),
        comments: t.comments.slice(from.runs),
        protocols: t.protocols.slice(from.runs),
        deleted: t.deleted.slice(from.deleted),
      });
    }
    return { text, tables };
  }

  /** Writes again what `rulesSince` took (from this writer or another of the same tables). */
  replay(rules: WrittenRules): void {
    if (this.current.isOpen) throw new Error('a rule was started but not added');
    this.lastTable = undefined;
    const base = this.text.length;
    this.text.writeFrom(rules.text, 0, rules.text.length);
    for (const r of rules.tables) {
      const t = this.table(r.name);
      for (let i = 0; i < r.names.length; i++) {
        const start = r.starts[i] as number;
        const end = r.ends[i] as number;
        t.names.push(r.names[i] as string);
        t.starts.push(start < 0 ? start : start + base);
        t.ends.push(end < 0 ? end : end + base);
        t.comments.push(r.comments[i]);
        t.protocols.push(r.protocols[i]);
        t.declared?.add(r.names[i] as string);
      }
      for (const d of r.deleted) t.deleted.push(d);
    }
  }

  private table(name: string): TextTable {
    const t = this.tables.get(name);
    if (!t) throw new Error(`unknown table ${name}`);
    return t;
  }

  private push(t: TextTable, chain: string, comment: string | undefined | typeof NOT_SORTED): void {
    t.names.push(chain);
    t.starts.push(-1);
    t.ends.push(-1);
    t.comments.push(comment);
    t.protocols.push(undefined);
    t.declared?.add(chain);
  }

  private ruleWritten(start: number, end: number, comment: string | undefined, protocol: string | undefined): void {
    const t = this.lastTable as TextTable;
    const at = t.names.length - 1;
    if (t.starts[at] === -1) t.starts[at] = start;
    t.ends[at] = end;
    if (t.comments[at] !== NOT_SORTED) {
      t.comments[at] = comment;
      t.protocols[at] = protocol;
    }
  }
}

function textBuffer(bytes: number): ByteWriter {
  try {
    return new ByteWriter(bytes);
  } catch {
    // Refused (a system that does not overcommit memory): start small and grow.
    return new ByteWriter(1 << 20);
  }
}

/**
 * The two buffers a writer fills, its rules' text and the text in canonical order, kept to be
 * filled again by the next writer: memory that is written again costs no page faults, and a
 * node's rules are megabytes. What one writer gave is overwritten by the next.
 */
export interface TextBuffers {
  text: ByteWriter;
  out: ByteWriter;
}

/** Buffers for writers of rule text of about `expectedBytes`. */
export function textBuffers(expectedBytes: number): TextBuffers {
  return { text: textBuffer(expectedBytes), out: new ByteWriter() };
}

/** A point in a writer's rules (`RestoreTextWriter.mark`). */
export interface WriterMark {
  text: number;
  tables: Map<string, { runs: number; deleted: number }>;
}

/** Rules taken from a writer, to be written again (`RestoreTextWriter.rulesSince`, `replay`). */
export interface WrittenRules {
  text: ByteWriter;
  /** Each table's runs, as a `TextTable` holds them; offsets into `text` (-1 for a declaration). */
  tables: Omit<TextTable, 'declared'>[];
}

/** Marks a run outside the chains sorted by service, in place of its comment. */
const NOT_SORTED = Symbol('not sorted by service');
/** A run in a chain sorted by service whose rule has no comment (yet). */
const SORTED = undefined;

/**
 * Rules written one after another into one chain, as parallel arrays (a large cluster has a
 * hundred thousand runs): entry i is a run of chain names[i] covering bytes [starts[i],
 * ends[i]) of the text, or a declaration (start -1). In the chains whose rules the canonical
 * order sorts by service, each rule is a run of its own, with its first comment and protocol;
 * other runs hold NOT_SORTED as their comment.
 */
interface TextTable {
  name: string;
  names: string[];
  starts: number[];
  ends: number[];
  comments: (string | undefined | typeof NOT_SORTED)[];
  protocols: (string | undefined)[];
  deleted: string[];
  /** The chain names, once asked for. */
  declared: Set<string> | undefined;
}

/**
 * The rule being written. One object serves every rule in turn: a large cluster's half a
 * million rules need no object each.
 */
class TextRule implements ChainRule {
  private chain: string | undefined;
  private start = 0;
  private comment_: string | undefined;
  private protocol_: string | undefined;

  constructor(
    private readonly out: ByteWriter,
    private readonly written: (start: number, end: number, comment: string | undefined, protocol: string | undefined) => void,
  ) {}

  get isOpen(): boolean {
    return this.chain !== undefined;
  }

  begin(chain: string): this {
    if (this.chain !== undefined) throw new Error(`a rule of ${chain} was started before the rule of ${this.chain} was added`);
    this.chain = chain;
    this.start = this.out.length;
    this.comment_ = undefined;
    this.protocol_ = undefined;
    this.out.write('-A ');
    this.out.write(chain);
    return this;
  }

  opt(flag: string, value?: string): this {
    this.word(flag, value, false);
    return this;
  }

  not(flag: string, value?: string): this {
    this.word(flag, value, true);
    return this;
  }

  match(name: string): this {
    return this.opt('-m', name);
  }

  comment(text: string): this {
    return this.opt('-m', 'comment').opt('--comment', text);
  }

  protocol(proto: string): this {
    return this.opt('-m', proto).opt('-p', proto);
  }

  jump(target: string, targetArg?: Arg): this {
    this.word('-j', target, false);
    if (targetArg !== undefined) this.arg(targetArg);
    return this;
  }

  with(args: readonly Arg[]): this {
    for (const a of args) this.arg(a);
    return this;
  }

  add(): void {
    if (this.chain === undefined) throw new Error('no rule was started');
    this.out.write('\n');
    this.chain = undefined;
    this.written(this.start, this.out.length, this.comment_, this.protocol_);
  }

  private word(flag: string, value: string | undefined, negated: boolean): void {
    const out = this.out;
    out.write(negated ? ' ! ' : ' ');
    out.write(flag);
    if (value === undefined) return;
    out.write(' ');
    out.writeWord(value, quoteWord);
    if (flag === '--comment') this.comment_ ??= value;
    else if (flag === '-p' || flag === '--protocol') this.protocol_ ??= value;
  }

  private arg(a: Arg): void {
    if (a.values.length <= 1) {
      this.word(a.flag, a.values[0], a.negated);
      return;
    }
    this.word(a.flag, a.values[0], a.negated);
    for (let k = 1; k < a.values.length; k++) {
      this.out.write(' ');
      this.out.writeWord(a.values[k] as string, quoteWord);
    }
  }
}
