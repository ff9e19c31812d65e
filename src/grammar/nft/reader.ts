import type { IToken, TokenType } from 'chevrotain';
import type { Diagnostic, Severity } from '../../diagnostics.js';
import type { NftBaseChain, NftChain, NftElement, NftFamily, NftRule, NftRuleSet, NftSet } from '../../ast/nft-types.js';
import type { Counters, SourcePos } from '../../ast/types.js';
import type { ParseResult } from '../format.js';
import { MAX_ERROR_LINES, tooManyErrorsDiagnostic, withoutLongLines } from '../limits.js';
import { NftCode } from './codes.js';
import { isKubeProxyNftChain, KUBE_PROXY_NFT } from '../../kube/nft-chain-names.js';
import { kubeChainTable, kubeJumpTable } from '../../kube/chain-tables.js';
import { normaliseRuleWords } from './normalise.js';
import { Comma, Comment, LBrace, Newline, OpenQuote, Quoted, RBrace, Semicolon, Stray, Word, nftLexer } from './tokens.js';

/**
 * Reads nftables text — `nft list ruleset` / `nft list table …` listings (with `-a` handles,
 * counters or `-s`) and the `add table/chain/set/map/rule/element …` text `nft -f` takes — into
 * one `NftRuleSet` per table.
 *
 *   text      := (statement (NL | ';'))*
 *   statement := 'table' FAMILY? NAME '{' tableItem* '}'
 *              | ('add' | 'create') 'table' FAMILY? NAME ('{' tableItem* '}')?
 *              | ('add' | 'create') 'chain' FAMILY? TABLE NAME ('{' chainItem* '}')?
 *              | ('add' | 'create') ('set' | 'map') FAMILY? TABLE NAME '{' setItem* '}'
 *              | ('add' | 'insert') 'rule' FAMILY? TABLE CHAIN ruleWord+
 *              | ('add' | 'create') 'element' FAMILY? TABLE SET '{' element (',' element)* '}'
 *              | ('flush' | 'delete' | 'destroy') ('ruleset' | 'table' … | 'chain' … | 'set' … | 'map' … | 'element' …)
 *   tableItem := 'comment' STRING | 'flags' WORD* | 'chain' NAME '{' chainItem* '}' | ('set' | 'map') NAME '{' setItem* '}'
 *   chainItem := 'type' TYPE 'hook' HOOK ('device' NAME)? 'priority' PRIO ';' ('policy' VERDICT)?
 *              | 'comment' STRING | ruleWord+ ('# handle' N)?
 *   setItem   := 'type' … | 'typeof' … | 'flags' WORD (',' WORD)* | 'timeout' DURATION | 'size' N
 *              | 'comment' STRING | 'elements' '=' '{' element (',' element)* '}' | other words (kept out)
 *   element   := KEY ('.' KEY)* option* (':' VALUE+)?
 *
 * Newlines end statements and items except inside braces of a rule or an element list. A
 * problem is reported and reading goes on at the next line; no input makes the reader throw.
 */
export function parseNft(text: string, file: string, firstLine = 1, options: NftReadOptions = {}): NftParseResult {
  const diagnostics: Diagnostic[] = [];
  try {
    const reader = new NftReader(text, file, firstLine, diagnostics, options.cuts ?? []);
    return { ruleSets: reader.read(), diagnostics };
  } catch (e) {
    diagnostics.push({ file, line: firstLine, column: 1, severity: 'error', code: NftCode.syntax, message: `the text could not be read (${e instanceof Error ? e.message : String(e)})` });
    return { ruleSets: [], diagnostics };
  }
}

export interface NftReadOptions {
  /**
   * Lines where the author cut the text (`...`, blank in the text): a block the text ends in
   * after a cut is no error (a note), and its table is an excerpt.
   */
  cuts?: readonly number[];
}

/** A `ParseResult` whose rule sets are all nftables tables. */
export interface NftParseResult extends ParseResult {
  ruleSets: NftRuleSet[];
}

const STATEMENT_VERBS: ReadonlySet<string> = new Set(['add', 'create', 'insert', 'flush', 'delete', 'destroy']);
const STATEMENT_OBJECTS: ReadonlySet<string> = new Set(['table', 'chain', 'set', 'map', 'rule', 'element', 'ruleset']);
const FAMILIES: ReadonlySet<string> = new Set<NftFamily>(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
const CHAIN_TYPES: ReadonlySet<string> = new Set(['filter', 'nat', 'route']);
const HOOKS: ReadonlySet<string> = new Set(['prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress', 'egress']);

/** Named priorities (nft(8), "CHAIN PRIORITIES"): the bridge family has its own values. */
const PRIORITIES: Readonly<Record<string, number>> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };
const BRIDGE_PRIORITIES: Readonly<Record<string, number>> = { dstnat: -300, filter: -200, out: 100, srcnat: 300 };

/** A duration as nft prints it (`3h`, `1d2h3m4s`, `10800s`, `500ms`), in seconds; undefined when it is none. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text);
  if (!m || text === '') return undefined;
  const [, d, h, mi, s, ms] = m;
  return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s ?? 0) + Number(ms ?? 0) / 1000;
}

class NftReader {
  private readonly tokens: IToken[];
  private i = 0;
  private readonly tables = new Map<string, NftRuleSet>();
  /** The table chains copied without one are read into, by `family table`. */
  private readonly headless = new Map<string, NftRuleSet>();
  /** Each table's chains and sets by name: a kube-proxy table has tens of thousands of chains. */
  private readonly chainIndex = new WeakMap<NftRuleSet, Map<string, NftChain>>();
  private readonly setIndex = new WeakMap<NftRuleSet, Map<string, NftSet>>();
  private readonly lineOffset: number;
  private errorLines = new Set<number>();
  private stopped = false;
  /** The line where a block was last found unclosed before a statement (one report per line). */
  private unclosedAt = 0;
  /** The line of the last table, chain, set or map header read (file lines). */
  private lastHeader = 0;
  /** The cuts already reported as the reason lines after them are skipped. */
  private readonly cutsReported = new Set<number>();
  /** Sets and maps whose elements the author cut (`...` among them). */
  private readonly cutSets = new WeakSet<NftSet>();
  /** Lines (of the text) with a character the lexer could not take: no rule is read from them. */
  private readonly badLines = new Set<number>();

  constructor(
    text: string,
    private readonly file: string,
    firstLine: number,
    private readonly diagnostics: Diagnostic[],
    private readonly cuts: readonly number[],
  ) {
    this.lineOffset = firstLine - 1;
    const short = withoutLongLines(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text, file, firstLine);
    diagnostics.push(...short.diagnostics);
    const lexed = nftLexer().tokenize(short.text);
    this.tokens = [];
    for (const t of lexed.tokens) {
      if (t.tokenType === Stray) {
        const code = t.image.charCodeAt(0);
        if (t.image === '\r') continue;
        this.report(t, NftCode.badCharacter, `stray character 0x${code.toString(16).padStart(2, '0')}`);
        this.badLines.add(t.startLine ?? 0);
        continue;
      }
      if (t.tokenType === OpenQuote) {
        this.report(t, NftCode.badCharacter, 'unterminated quoted string: the closing " is missing');
        this.badLines.add(t.startLine ?? 0);
        continue;
      }
      this.tokens.push(t);
    }
    for (const e of lexed.errors) {
      diagnostics.push({ file, line: (e.line ?? 1) + this.lineOffset, column: e.column ?? 1, severity: 'error', code: NftCode.badCharacter, message: e.message });
    }
  }

  read(): NftRuleSet[] {
    while (!this.stopped && this.i < this.tokens.length) {
      const t = this.peek();
      if (!t) break;
      if (t.tokenType === Newline || t.tokenType === Semicolon || t.tokenType === Comment) {
        this.i++;
        continue;
      }
      this.statement();
    }
    const tables = [...this.tables.values()];
    for (const rs of tables) {
      const cut = rs.sets.find((x) => this.cutSets.has(x));
      if (cut !== undefined) rs.excerpt ??= `the elements of '${cut.name}' were cut ('...')`;
    }
    return tables;
  }

  // ---------------------------------------------------------------------------------------------
  // Tokens

  private peek(offset = 0): IToken | undefined {
    return this.tokens[this.i + offset];
  }

  private is(type: TokenType, offset = 0): boolean {
    return this.peek(offset)?.tokenType === type;
  }

  private isWord(text?: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.tokenType === Word && (text === undefined || t.image === text);
  }

  /** At the end of an item: a newline, `;`, `}`, a `#` comment, or the end of the text. */
  private atItemEnd(): boolean {
    const t = this.peek();
    return t === undefined || t.tokenType === Newline || t.tokenType === Semicolon || t.tokenType === RBrace || t.tokenType === Comment;
  }

  private pos(t: IToken): SourcePos {
    return { file: this.file, line: (t.startLine ?? 1) + this.lineOffset, column: t.startColumn ?? 1 };
  }

  private report(t: IToken | undefined, code: string, message: string, severity: Severity = 'error'): void {
    const at = t ?? this.tokens[this.tokens.length - 1];
    const line = at ? (at.startLine ?? 1) + this.lineOffset : this.lineOffset + 1;
    const column = at ? (t ? (at.startColumn ?? 1) : (at.endColumn ?? 0) + 1) : 1;
    this.diagnostics.push({ file: this.file, line, column, severity, code, message });
    if (severity === 'error' && !this.errorLines.has(line)) {
      this.errorLines.add(line);
      if (this.errorLines.size >= MAX_ERROR_LINES && !this.stopped) {
        this.stopped = true;
        this.diagnostics.push(tooManyErrorsDiagnostic(this.file, line + 1));
      }
    }
  }

  /** A block the text ends in: an error, or after the author's cut a note, and the table an excerpt. */
  private unclosed(rs: NftRuleSet, what: string): void {
    const opened = rs.pos?.line ?? 0;
    const cut = this.cuts.find((n) => n > opened);
    if (cut === undefined) {
      this.report(undefined, NftCode.unclosed, `${what}: the text ends before its '}'`);
      return;
    }
    this.report(undefined, NftCode.unclosed, `${what}: the text was cut at line ${cut}`, 'note');
    rs.excerpt = `the text was cut at line ${cut}`;
  }

  /**
   * Whether `t` stands after a cut with no header since: what it belongs to was cut out, so it
   * is skipped with a note (once per cut), not reported as an error.
   */
  private skippedAfterCut(t: IToken): boolean {
    const line = this.pos(t).line;
    const cut = this.cuts.find((n) => n > this.lastHeader && n < line);
    if (cut === undefined) return false;
    if (!this.cutsReported.has(cut)) {
      this.cutsReported.add(cut);
      this.report(t, NftCode.syntax, `${this.shown(t)} follows the cut at line ${cut}: what it belongs to is not in the text; skipped`, 'note');
    }
    return true;
  }

  /**
   * Whether a statement of its own starts here (`add chain …`, `table ip t {`): inside a block,
   * that means the block was never closed (a quote or brace lost on its line).
   */
  private statementStarts(): boolean {
    const t = this.peek();
    const next = this.peek(1);
    if (t?.tokenType !== Word || next?.tokenType !== Word) return false;
    if (t.image === 'table') return FAMILIES.has(next.image) && this.is(Word, 2) && this.is(LBrace, 3);
    return STATEMENT_VERBS.has(t.image) && STATEMENT_OBJECTS.has(next.image) && this.is(Word, 2);
  }

  /** A block a statement of its own comes inside: reported once per line, and the block ends there. */
  private notClosedBefore(t: IToken, what: string): void {
    const line = this.pos(t).line;
    if (this.unclosedAt === line) return;
    this.unclosedAt = line;
    this.report(t, NftCode.unclosed, `${what} is not closed before this statement`);
  }

  /** What stands at `t`, for messages. */
  private shown(t: IToken | undefined): string {
    if (t === undefined) return 'the end of the text';
    if (t.tokenType === Newline) return 'the end of the line';
    return `'${t.image.length > 40 ? `${t.image.slice(0, 40)}…` : t.image}'`;
  }

  /** Skips to the end of the current line (recovery). */
  private skipLine(): void {
    while (this.i < this.tokens.length && !this.is(Newline)) this.i++;
  }

  /** Skips an object rulec does not model: to the end of its line, or of its `{ … }` block. */
  private skipObject(): void {
    let depth = 0;
    while (this.i < this.tokens.length) {
      const t = this.peek() as IToken;
      if (t.tokenType === LBrace) depth++;
      else if (t.tokenType === RBrace) {
        if (depth === 0) return;
        depth--;
        if (depth === 0) {
          this.i++;
          return;
        }
      } else if (t.tokenType === Newline && depth === 0) return;
      this.i++;
    }
  }

  /** A word, or a diagnostic and undefined. */
  private word(what: string): IToken | undefined {
    const t = this.peek();
    if (t?.tokenType === Word) {
      this.i++;
      return t;
    }
    this.report(t, NftCode.syntax, `expected ${what}, found ${this.shown(t)}`);
    return undefined;
  }

  private expect(type: TokenType, what: string): IToken | undefined {
    const t = this.peek();
    if (t?.tokenType === type) {
      this.i++;
      return t;
    }
    this.report(t, NftCode.syntax, `expected ${what}, found ${this.shown(t)}`);
    return undefined;
  }

  /** A `# handle N` comment right here (`nft -a`), consumed. */
  private handle(): number | undefined {
    const t = this.peek();
    if (t?.tokenType !== Comment) return undefined;
    this.i++;
    const m = /^#\s*handle\s+(\d+)\s*$/.exec(t.image);
    return m ? Number(m[1]) : undefined;
  }

  /** The end of an item: a `;` or newline is consumed, `}` is left for the block. */
  private endItem(): void {
    this.handle();
    const t = this.peek();
    if (t === undefined || t.tokenType === RBrace) return;
    if (t.tokenType === Newline || t.tokenType === Semicolon) {
      this.i++;
      return;
    }
    // A block that ended before a statement of its own (reported): the statement is read next.
    if (this.unclosedAt === this.pos(t).line && this.statementStarts()) return;
    this.report(t, NftCode.syntax, `unexpected ${this.shown(t)}: expected the end of the line`);
    this.skipLine();
  }

  // ---------------------------------------------------------------------------------------------
  // Statements

  private statement(): void {
    const t = this.peek() as IToken;
    if (t.tokenType !== Word && this.skippedAfterCut(t)) {
      this.i++;
      this.skipLine();
      return;
    }
    if (t.tokenType !== Word) {
      this.report(t, NftCode.syntax, `unexpected ${this.shown(t)}: a line starts with 'table', 'add', 'flush' or 'delete'`);
      this.i++;
      this.skipLine();
      return;
    }
    const verb = t.image;
    if (verb === 'table') {
      this.tableBlock(t);
      return;
    }
    if (verb === 'add' || verb === 'create' || verb === 'insert') {
      this.i++;
      this.addCommand(t);
      return;
    }
    if (verb === 'flush' || verb === 'delete' || verb === 'destroy') {
      this.i++;
      this.changeCommand(t);
      return;
    }
    if (verb === 'chain' && this.isWord(undefined, 1) && this.is(LBrace, 2)) {
      this.headlessChain(t);
      return;
    }
    if (verb === 'chain' || verb === 'set' || verb === 'map' || verb === 'rule' || verb === 'element') {
      // `nft -f` takes `add` as understood: `chain ip t c`, `rule ip t c …`.
      this.addCommand(t);
      return;
    }
    this.report(t, NftCode.badCommand, `line starts with ${this.shown(t)}; expected table, add, create, insert, flush, delete or a # comment`);
    this.skipLine();
  }

  /**
   * `[family] name…`: the family is optional (`ip` when not written). When the words before the
   * next brace or the end of the line are one more than the names, the first is the family.
   */
  private familyAndNames(count: number, what: string, exact = true): { family: NftFamily; names: IToken[] } | undefined {
    let family: NftFamily = 'ip';
    let n = 0;
    while (this.isWord(undefined, n)) n++;
    const first = this.peek();
    if (first?.tokenType === Word && FAMILIES.has(first.image) && n > count) {
      family = first.image as NftFamily;
      this.i++;
    } else if (first?.tokenType === Word && exact && n === count + 1) {
      this.report(first, NftCode.badName, `unknown family '${first.image}' (nftables has ip, ip6, inet, arp, bridge and netdev)`);
      this.skipObject();
      if (this.is(RBrace)) this.i++;
      return undefined;
    }
    const names: IToken[] = [];
    for (let k = 0; k < count; k++) {
      const w = this.word(k === count - 1 ? what : 'a table name');
      if (!w) {
        this.skipLine();
        return undefined;
      }
      names.push(w);
    }
    return { family, names };
  }

  private table(family: NftFamily, name: IToken, declare: boolean): NftRuleSet | undefined {
    const key = `${family} ${name.image}`;
    let rs = this.tables.get(key);
    if (!rs) {
      if (!declare) {
        this.report(name, NftCode.undeclared, `table '${key}' is not declared: an 'add table ${key}' must come first`);
        return undefined;
      }
      rs = { kind: 'nft', family, table: name.image, chains: [], sets: [], origin: 'nft', fidelity: 'exact', pos: this.pos(name) };
      this.tables.set(key, rs);
    }
    return rs;
  }

  private tableBlock(start: IToken): void {
    this.i++;
    const fn = this.familyAndNames(1, 'a table name');
    if (!fn) return;
    const rs = this.table(fn.family, fn.names[0] as IToken, true) as NftRuleSet;
    this.lastHeader = this.pos(start).line;
    if (!this.expect(LBrace, "'{' after the table name")) {
      this.skipLine();
      return;
    }
    const handle = this.handle();
    if (handle !== undefined) rs.handle = handle;
    this.tableBody(rs, start);
  }

  /**
   * The next item of a block: its first token; `next` after a line end, `;` or comment (skipped);
   * `close` after the block's `}` (consumed); undefined when reading stopped or the block is not
   * closed (at the end of the text, or before a statement of its own: reported).
   */
  private blockItem(rs: NftRuleSet, what: string, start: IToken): IToken | 'next' | 'close' | undefined {
    if (this.stopped) return undefined;
    const t = this.peek();
    if (t === undefined) {
      this.unclosed(rs, `${what} opened at line ${this.pos(start).line} is not closed`);
      return undefined;
    }
    if (this.statementStarts()) {
      this.notClosedBefore(t, `${what} opened at line ${this.pos(start).line}`);
      return undefined;
    }
    if (t.tokenType === Newline || t.tokenType === Semicolon || t.tokenType === Comment) {
      this.i++;
      return 'next';
    }
    if (t.tokenType === RBrace) {
      this.i++;
      return 'close';
    }
    return t;
  }

  /** Items up to the table's `}`. */
  private tableBody(rs: NftRuleSet, start: IToken): void {
    for (;;) {
      const t = this.blockItem(rs, `table '${rs.family} ${rs.table}'`, start);
      if (t === undefined) return;
      if (t === 'next') continue;
      if (t === 'close') {
        const opened = rs.pos?.line ?? 0;
        const closedAt = this.pos(this.tokens[this.i - 1] as IToken).line;
        const cut = this.cuts.find((n) => n > opened && n < closedAt);
        if (cut !== undefined) rs.excerpt ??= `the text was cut at line ${cut}`;
        return;
      }
      if (t.tokenType !== Word) {
        this.report(t, NftCode.syntax, `unexpected ${this.shown(t)} in table '${rs.table}'`);
        this.i++;
        this.skipLine();
        continue;
      }
      if (t.image === 'comment') {
        this.i++;
        const c = this.string('the table comment');
        if (c !== undefined) rs.tableComment = c;
        this.endItem();
      } else if (t.image === 'flags') {
        this.skipLine();
      } else if (t.image === 'chain') {
        this.i++;
        const name = this.word('a chain name');
        if (!name) {
          this.skipLine();
          continue;
        }
        const chain = this.chain(rs, name);
        this.lastHeader = this.pos(name).line;
        if (this.is(LBrace)) {
          this.i++;
          const h = this.handle();
          if (h !== undefined) chain.handle = h;
          this.chainBody(rs, chain, name);
        } else this.endItem();
      } else if (t.image === 'set' || t.image === 'map') {
        this.i++;
        const name = this.word(`a ${t.image} name`);
        if (!name) {
          this.skipLine();
          continue;
        }
        const set = this.set(rs, name, t.image);
        this.lastHeader = this.pos(name).line;
        if (this.expect(LBrace, `'{' after the ${t.image} name`)) {
          const h = this.handle();
          if (h !== undefined) set.handle = h;
          this.setBody(rs, set, name);
        } else this.skipLine();
      } else if (['flowtable', 'counter', 'quota', 'limit', 'ct', 'secmark', 'synproxy'].includes(t.image)) {
        this.report(t, NftCode.unsupported, `${t.image} objects are not read; skipped`, 'warning');
        this.skipObject();
      } else if (this.skippedAfterCut(t)) {
        this.skipLine();
      } else {
        this.report(t, NftCode.syntax, `unexpected ${this.shown(t)} in table '${rs.table}': expected chain, set, map or comment`);
        this.skipLine();
      }
    }
  }

  /**
   * `chain NAME { … }` with no table around it: a chain copied out of a listing on its own. Read
   * into the table its name and its jumps say it is in (kube-proxy's, or iptables-nft's nat or
   * filter), one such table for the text; the table is an excerpt.
   */
  private headlessChain(start: IToken): void {
    this.i++;
    const name = this.peek() as IToken;
    this.i += 2;
    const scratch: NftRuleSet = { kind: 'nft', family: 'ip', table: '', chains: [], sets: [], origin: 'nft', fidelity: 'exact', pos: this.pos(start) };
    const chain = this.chain(scratch, name);
    const h = this.handle();
    if (h !== undefined) chain.handle = h;
    this.chainBody(scratch, chain, name);
    const guess = inferTable(chain);
    const key = `${guess.family} ${guess.table}`;
    let rs = this.headless.get(key);
    // A second copy of a chain is another node's or another moment's: another table.
    if (!rs || this.findChain(rs, chain.name)) {
      rs = { kind: 'nft', family: guess.family, table: guess.table, chains: [], sets: [], origin: 'nft', fidelity: 'exact', pos: this.pos(start), inferredFrom: guess.reason };
      rs.excerpt = `chain '${chain.name}' was copied without its table`;
      this.headless.set(key, rs);
      this.tables.set(`${key} (copied chains, from line ${this.pos(start).line})`, rs);
      this.report(start, NftCode.tableInferred, `chain '${chain.name}' has no table around it: read into table ${key}, inferred from ${guess.reason}`, 'note');
    }
    rs.chains.push(chain);
    this.chainIndex.get(rs)?.set(chain.name, chain);
  }

  private chain(rs: NftRuleSet, name: IToken): NftChain {
    let chain = this.findChain(rs, name.image);
    if (!chain) {
      chain = { name: name.image, rules: [], pos: this.pos(name) };
      rs.chains.push(chain);
      this.chainIndex.get(rs)?.set(chain.name, chain);
    }
    return chain;
  }

  private findChain(rs: NftRuleSet, name: string | undefined): NftChain | undefined {
    let index = this.chainIndex.get(rs);
    if (!index) {
      index = new Map(rs.chains.map((c) => [c.name, c]));
      this.chainIndex.set(rs, index);
    }
    return name === undefined ? undefined : index.get(name);
  }

  private findSet(rs: NftRuleSet, name: string | undefined): NftSet | undefined {
    let index = this.setIndex.get(rs);
    if (!index) {
      index = new Map(rs.sets.map((x) => [x.name, x]));
      this.setIndex.set(rs, index);
    }
    return name === undefined ? undefined : index.get(name);
  }

  private set(rs: NftRuleSet, name: IToken, kind: string): NftSet {
    let set = this.findSet(rs, name.image);
    if (!set) {
      set = { name: name.image, kind: kind === 'map' ? 'map' : 'set', type: '', elements: [], pos: this.pos(name) };
      rs.sets.push(set);
      this.setIndex.get(rs)?.set(set.name, set);
    } else if (set.kind !== kind) {
      this.report(name, NftCode.duplicate, `'${name.image}' is declared as a ${set.kind} and as a ${kind}`, 'warning');
    }
    return set;
  }

  /** A quoted string, unquoted. */
  private string(what: string): string | undefined {
    const t = this.peek();
    if (t?.tokenType === Quoted) {
      this.i++;
      return unquote(t.image);
    }
    // After a quote never closed on this line (reported), no second error for the same text.
    if (!this.badLines.has(t?.startLine ?? 0) || t?.tokenType !== Newline) this.report(t, NftCode.syntax, `expected ${what} in double quotes, found ${this.shown(t)}`);
    this.skipLine();
    return undefined;
  }

  /** Items up to the chain's `}`: its type line, policy, comment and rules. */
  private chainBody(rs: NftRuleSet, chain: NftChain, start: IToken): void {
    for (;;) {
      const first = this.peek();
      if (first?.tokenType === Comment && isXtText(first.image, false)) {
        const rule = this.ruleWords(first);
        if (rule) chain.rules.push(rule);
        continue;
      }
      const t = this.blockItem(rs, `chain '${chain.name}'`, start);
      if (t === undefined) return;
      if (t === 'next') continue;
      if (t === 'close') {
        return;
      }
      if (t.tokenType === Word && t.image === 'type' && this.isWord(undefined, 1) && this.isWord('hook', 2)) {
        this.i++;
        this.baseChain(rs, chain);
        continue;
      }
      if (t.tokenType === Word && t.image === 'policy' && this.isWord(undefined, 1) && this.isItemEndAt(2)) {
        this.i++;
        const p = this.peek() as IToken;
        this.i++;
        // Without a base chain (its type line was reported), the policy has nothing to belong to.
        if (p.image === 'accept' || p.image === 'drop') {
          if (chain.base) chain.base.policy = p.image;
        } else this.report(p, NftCode.badName, `unknown policy '${p.image}' (accept or drop)`);
        this.endItem();
        continue;
      }
      if (t.tokenType === Word && t.image === 'comment' && this.is(Quoted, 1) && this.isItemEndAt(2)) {
        this.i++;
        const c = this.string('the chain comment');
        if (c !== undefined) chain.comment = c;
        this.endItem();
        continue;
      }
      const rule = this.ruleWords(t);
      if (rule) chain.rules.push(rule);
    }
  }

  private isItemEndAt(offset: number): boolean {
    const t = this.peek(offset);
    return t === undefined || t.tokenType === Newline || t.tokenType === Semicolon || t.tokenType === RBrace || t.tokenType === Comment;
  }

  /** `type T hook H [device D] priority P` (after `type`). */
  private baseChain(rs: NftRuleSet, chain: NftChain): void {
    const type = this.word('a chain type') as IToken;
    this.i++; // hook
    const hook = this.word('a hook');
    if (!hook) return this.skipLine();
    let device: string | undefined;
    if (this.isWord('device')) {
      this.i++;
      const d = this.peek();
      if (d?.tokenType === Quoted || d?.tokenType === Word) {
        this.i++;
        device = d.tokenType === Quoted ? unquote(d.image) : d.image;
      }
    }
    if (!this.isWord('priority')) {
      this.report(this.peek(), NftCode.syntax, `expected 'priority' after the hook, found ${this.shown(this.peek())}`);
      return this.skipLine();
    }
    this.i++;
    const prioStart = this.peek();
    const words: string[] = [];
    while (this.isWord()) words.push((this.peek() as IToken).image), this.i++;
    const priority = parsePriority(words, rs.family);
    if (!CHAIN_TYPES.has(type.image)) this.report(type, NftCode.badName, `unknown chain type '${type.image}' (filter, nat or route)`);
    else if (!HOOKS.has(hook.image)) this.report(hook, NftCode.badName, `unknown hook '${hook.image}'`);
    else if (priority === undefined) this.report(prioStart, NftCode.badNumber, `priority '${words.join(' ')}' is not a number or a named priority with an offset (dstnat - 10)`);
    else {
      chain.base = { type: type.image as NftBaseChain['type'], hook: hook.image as NftBaseChain['hook'], priority, ...(device === undefined ? {} : { device }) };
    }
    this.endItem();
  }

  /**
   * The words of one rule, up to a newline, `;` or `}` outside the rule's own braces; a last
   * `comment "…"` is split off, `counter packets N bytes M` gives the counters, a `# handle N`
   * after it the handle. Quoted words keep their quotes (as kube-proxy writes `iifname "eth0"`).
   */
  private ruleWords(start: IToken): NftRule | undefined {
    const tokens: IToken[] = [];
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t === undefined) break;
      if (depth === 0 && t.tokenType === Comment && isXtText(t.image, tokens.length > 0)) {
        // What nft prints of an iptables extension it cannot translate: the rule goes on after it.
        this.i++;
        tokens.push(...xtWords(t));
        continue;
      }
      if (depth === 0 && (t.tokenType === Newline || t.tokenType === Semicolon || t.tokenType === RBrace || t.tokenType === Comment)) break;
      this.i++;
      if (t.tokenType === Comment || t.tokenType === Newline) continue;
      if (t.tokenType === LBrace) depth++;
      if (t.tokenType === RBrace) depth--;
      tokens.push(t);
    }
    if (tokens.some((t) => this.badLines.has(t.startLine ?? 0))) return undefined;
    const words = joinWords(tokens);
    const rule: NftRule = { words: [], pos: this.pos(start) };
    if (depth > 0) {
      this.report(start, NftCode.unclosed, `a '{' in this rule is not closed`);
      this.skipLine();
      return undefined;
    }
    const h = this.handle();
    if (h !== undefined) rule.handle = h;
    if (this.is(Newline) || this.is(Semicolon)) this.i++;
    let body = words;
    const n = body.length;
    if (n >= 2 && body[n - 2] === 'comment' && (body[n - 1] as string).startsWith('"')) {
      rule.comment = unquote(body[n - 1] as string);
      body = body.slice(0, n - 2);
    }
    const counters = takeCounters(body);
    if (counters) {
      rule.counters = counters.counters;
      body = counters.words;
    }
    rule.words = normaliseRuleWords(body);
    if (rule.words.length === 0) {
      this.report(start, NftCode.syntax, 'a rule needs at least one statement');
      return undefined;
    }
    return rule;
  }

  /** Items up to the set's `}`. */
  private setBody(rs: NftRuleSet, set: NftSet, start: IToken): void {
    for (;;) {
      const t = this.blockItem(rs, `${set.kind} '${set.name}'`, start);
      if (t === undefined) return;
      if (t === 'next') continue;
      if (t === 'close') {
        return;
      }
      if (t.tokenType !== Word) {
        this.report(t, NftCode.syntax, `unexpected ${this.shown(t)} in ${set.kind} '${set.name}'`);
        this.i++;
        this.skipLine();
        continue;
      }
      this.i++;
      switch (t.image) {
        case 'type':
        case 'typeof': {
          const words: string[] = [];
          while (this.isWord()) words.push((this.peek() as IToken).image), this.i++;
          set.type = t.image === 'typeof' ? `typeof ${words.join(' ')}` : words.join(' ');
          if (words.length === 0) this.report(this.peek(), NftCode.syntax, `expected the ${set.kind}'s type, found ${this.shown(this.peek())}`);
          this.endItem();
          break;
        }
        case 'flags': {
          const flags: string[] = [];
          while (this.isWord() || this.is(Comma)) {
            const w = this.peek() as IToken;
            if (w.tokenType === Word) flags.push(w.image);
            this.i++;
          }
          set.flags = flags;
          this.endItem();
          break;
        }
        case 'timeout':
        case 'size': {
          const w = this.word(`a ${t.image}`);
          if (w) {
            const v = t.image === 'size' ? (/^\d+$/.test(w.image) ? Number(w.image) : undefined) : parseDuration(w.image);
            if (v === undefined) this.report(w, NftCode.badNumber, `${t.image} '${w.image}' is not ${t.image === 'size' ? 'a number' : 'a duration (3h, 10800s)'}`);
            else if (t.image === 'size') set.size = v;
            else set.timeout = v;
          }
          this.endItem();
          break;
        }
        case 'comment': {
          const c = this.string(`the ${set.kind} comment`);
          if (c !== undefined) set.comment = c;
          this.endItem();
          break;
        }
        case 'elements': {
          if (!this.isWord('=')) {
            this.report(this.peek(), NftCode.syntax, `expected '=' after 'elements', found ${this.shown(this.peek())}`);
            this.skipLine();
            break;
          }
          this.i++;
          if (!this.expect(LBrace, "'{' after 'elements ='")) {
            this.skipLine();
            break;
          }
          this.elements(set);
          this.endItem();
          break;
        }
        default:
          // gc-interval, policy, auto-merge, counter: properties the model does not keep.
          this.skipLine();
      }
    }
  }

  /** Elements up to the closing `}` (after the opening `{`), over as many lines as they take. */
  private elements(set: NftSet): void {
    for (;;) {
      let t = this.peek();
      while (t && (t.tokenType === Newline || t.tokenType === Comma || t.tokenType === Comment)) {
        this.i++;
        t = this.peek();
      }
      if (t === undefined) {
        this.report(undefined, NftCode.unclosed, `the elements of '${set.name}' are not closed: the text ends before their '}'`);
        return;
      }
      if (t.tokenType === RBrace) {
        this.i++;
        return;
      }
      const words: IToken[] = [];
      let depth = 0;
      for (;;) {
        const w = this.peek();
        if (w === undefined) break;
        if (depth === 0 && (w.tokenType === Comma || w.tokenType === RBrace || w.tokenType === Newline || w.tokenType === Semicolon)) break;
        if (w.tokenType === LBrace) depth++;
        if (w.tokenType === RBrace) depth--;
        if (w.tokenType !== Newline && w.tokenType !== Comment) words.push(w);
        this.i++;
      }
      if (this.is(Semicolon)) {
        this.report(this.peek(), NftCode.syntax, `unexpected ';' in the elements of '${set.name}'`);
        this.i++;
      }
      // `...` among the elements: the author cut some out.
      const only = words.length === 1 ? words[0] : undefined;
      if (only !== undefined && /^(?:\.{3,}|…)$/.test(only.image)) {
        this.report(only, NftCode.syntax, `'${only.image}' among the elements of '${set.name}': the author cut some out; the set is shown in part`, 'note');
        this.cutSets.add(set);
        continue;
      }
      const e = this.element(set, words);
      if (e) set.elements.push(e);
    }
  }

  private element(set: NftSet, words: IToken[]): NftElement | undefined {
    const first = words[0];
    if (!first) return undefined;
    const key: string[] = [];
    let k = 0;
    for (;;) {
      const w = words[k];
      if (w === undefined || w.tokenType !== Word || w.image === ':' || w.image === '.') {
        this.report(w ?? first, NftCode.syntax, `expected a key of an element of '${set.name}', found ${this.shown(w)}`);
        return undefined;
      }
      key.push(w.image);
      k++;
      if (words[k]?.image !== '.') break;
      k++;
    }
    const element: NftElement = { key, pos: this.pos(first) };
    const options: string[] = [];
    for (; k < words.length; k++) {
      const w = words[k] as IToken;
      if (w.image === ':' && w.tokenType === Word) {
        const value = words.slice(k + 1).map((v) => v.image);
        if (value.length === 0) {
          this.report(w, NftCode.syntax, `expected the value of an element of '${set.name}' after ':'`);
          return undefined;
        }
        element.value = value.join(' ');
        break;
      }
      if (w.image === 'comment' && words[k + 1]?.tokenType === Quoted) {
        element.comment = unquote((words[k + 1] as IToken).image);
        k++;
        continue;
      }
      options.push(w.image);
    }
    if (options.length > 0) element.options = options;
    return element;
  }

  // ---------------------------------------------------------------------------------------------
  // Commands (`nft -f` input)

  private addCommand(verb: IToken): void {
    const objectTok = verb.image === 'add' || verb.image === 'create' || verb.image === 'insert' ? this.word('table, chain, set, map, rule or element') : verb;
    if (objectTok === verb) this.i++;
    if (!objectTok) return this.skipLine();
    const object = objectTok.image;
    switch (object) {
      case 'table': {
        const fn = this.familyAndNames(1, 'a table name');
        if (!fn) return;
        const rs = this.table(fn.family, fn.names[0] as IToken, true) as NftRuleSet;
        if (this.is(LBrace)) {
          this.i++;
          this.tableBody(rs, verb);
        }
        return this.endItem();
      }
      case 'chain': {
        const fn = this.familyAndNames(2, 'a chain name');
        if (!fn) return;
        const rs = this.table(fn.family, fn.names[0] as IToken, false);
        if (!rs) return this.skipObject();
        const name = fn.names[1] as IToken;
        const chain = this.chain(rs, name);
        if (this.is(LBrace)) {
          this.i++;
          this.chainBody(rs, chain, name);
        }
        return this.endItem();
      }
      case 'set':
      case 'map': {
        const fn = this.familyAndNames(2, `a ${object} name`);
        if (!fn) return;
        const rs = this.table(fn.family, fn.names[0] as IToken, false);
        if (!rs) return this.skipObject();
        const name = fn.names[1] as IToken;
        const set = this.set(rs, name, object);
        if (!this.expect(LBrace, `'{' with the ${object}'s type`)) return this.skipLine();
        this.setBody(rs, set, name);
        return this.endItem();
      }
      case 'rule': {
        const fn = this.familyAndNames(2, 'a chain name', false);
        if (!fn) return;
        const rs = this.table(fn.family, fn.names[0] as IToken, false);
        if (!rs) return this.skipLine();
        const name = fn.names[1] as IToken;
        const chain = this.findChain(rs, name.image);
        if (!chain) {
          this.report(name, NftCode.undeclared, `chain '${name.image}' is not declared in table '${rs.family} ${rs.table}'`);
          return this.skipLine();
        }
        let at: number | undefined;
        if (this.isWord('position') || this.isWord('handle') || this.isWord('index')) {
          this.report(this.peek(), NftCode.unsupported, `'${(this.peek() as IToken).image}' places a rule among rules read elsewhere; the rule is ${verb.image === 'insert' ? 'inserted first' : 'appended'}`, 'warning');
          this.i += 2;
        }
        if (verb.image === 'insert') at = 0;
        const start = this.peek();
        if (!start || this.atItemEnd()) {
          this.report(start, NftCode.syntax, `expected the rule's statements, found ${this.shown(start)}`);
          return this.skipLine();
        }
        const rule = this.ruleWords(start);
        if (rule) {
          if (at === 0) chain.rules.unshift(rule);
          else chain.rules.push(rule);
        }
        return;
      }
      case 'element': {
        const fn = this.familyAndNames(2, 'a set or map name');
        if (!fn) return;
        const rs = this.table(fn.family, fn.names[0] as IToken, false);
        if (!rs) return this.skipObject();
        const name = fn.names[1] as IToken;
        const set = this.findSet(rs, name.image);
        if (!set) {
          this.report(name, NftCode.undeclared, `set or map '${name.image}' is not declared in table '${rs.family} ${rs.table}'`);
          return this.skipObject();
        }
        if (!this.expect(LBrace, "'{' before the elements")) return this.skipLine();
        this.elements(set);
        return this.endItem();
      }
      default:
        this.report(objectTok, NftCode.badCommand, `'${verb.image} ${object}' is not read: expected table, chain, set, map, rule or element`);
        return this.skipObject();
    }
  }

  /** `flush …` / `delete …`: applied to what was read above, with a note. */
  private changeCommand(verb: IToken): void {
    const objectTok = this.word('ruleset, table, chain, set, map, rule or element');
    if (!objectTok) return this.skipLine();
    const object = objectTok.image;
    const flush = verb.image === 'flush';
    if (object === 'ruleset') {
      if (flush) this.tables.clear();
      else this.report(objectTok, NftCode.badCommand, `'${verb.image} ruleset' is not a command`);
      return this.endItem();
    }
    const count = object === 'table' ? 1 : 2;
    if (!['table', 'chain', 'set', 'map', 'element', 'rule'].includes(object)) {
      this.report(objectTok, NftCode.badCommand, `'${verb.image} ${object}' is not read`);
      return this.skipObject();
    }
    const fn = this.familyAndNames(count, 'a name');
    if (!fn) return;
    this.report(verb, NftCode.change, `'${verb.image} ${object}' read as a change to the text above`, 'note');
    const key = `${fn.family} ${(fn.names[0] as IToken).image}`;
    const rs = this.tables.get(key);
    const name = fn.names[1]?.image;
    if (object === 'table') {
      if (rs && flush) {
        for (const c of rs.chains) c.rules = [];
        for (const s of rs.sets) s.elements = [];
      } else if (rs) this.tables.delete(key);
    } else if (rs && (object === 'chain' || object === 'rule')) {
      const chain = this.findChain(rs, name);
      if (object === 'rule') {
        // `delete rule … handle N`
        if (this.isWord('handle') && this.isWord(undefined, 1)) {
          const h = Number((this.peek(1) as IToken).image);
          this.i += 2;
          if (chain) chain.rules = chain.rules.filter((r) => r.handle !== h);
        }
      } else if (chain && flush) chain.rules = [];
      else if (chain) {
        rs.chains = rs.chains.filter((c) => c !== chain);
        this.chainIndex.get(rs)?.delete(chain.name);
      }
    } else if (rs && (object === 'set' || object === 'map')) {
      const set = this.findSet(rs, name);
      if (set && flush) set.elements = [];
      else if (set) {
        rs.sets = rs.sets.filter((s) => s !== set);
        this.setIndex.get(rs)?.delete(set.name);
      }
    } else if (rs && object === 'element') {
      const set = this.findSet(rs, name);
      if (this.is(LBrace)) {
        this.i++;
        const gone: NftSet = { name: name ?? '', kind: 'set', type: '', elements: [] };
        this.elements(gone);
        if (set) {
          const keys = new Set(gone.elements.map((e) => e.key.join(' . ')));
          set.elements = set.elements.filter((e) => !keys.has(e.key.join(' . ')));
        }
      }
    }
    this.skipObject();
    this.endItem();
  }
}

/**
 * The words of a rule as written: tokens with no blank between them are one word (`{a,b}`,
 * `10.0.0.1:80`), except a comma with a blank on either side, which is a word of its own
 * (`goto a, 1` and `a , b` both give `a`, `,`).
 */
/**
 * The table a chain copied on its own is in: kube-proxy's for the chains of its nftables mode;
 * for iptables-nft's translation of kube-proxy's and kubelet's chains, the one table its name or
 * its jumps are in (KUBE-SERVICES jumping to KUBE-SVC-… is nat's); IPv6 when its rules say ip6.
 */
function inferTable(chain: NftChain): { family: NftFamily; table: string; reason: string } {
  const family: NftFamily = chain.rules.some((r) => r.words.includes('ip6')) ? 'ip6' : 'ip';
  if (isKubeProxyNftChain(chain.name)) return { family, table: KUBE_PROXY_NFT.table, reason: `the name of chain '${chain.name}' (kube-proxy's nftables mode)` };
  const byName = kubeChainTable(chain.name);
  if (byName !== undefined) return { family, table: byName, reason: `the name of chain '${chain.name}'` };
  for (const r of chain.rules) {
    const at = r.words.findIndex((w) => w === 'jump' || w === 'goto');
    const target = at >= 0 ? r.words[at + 1] : undefined;
    if (target === undefined) continue;
    const table = kubeJumpTable(chain.name, target) ?? kubeChainTable(target);
    if (table !== undefined) return { family, table, reason: `the jump from '${chain.name}' to '${target}'` };
  }
  return { family, table: 'filter', reason: `nothing (chain '${chain.name}' names no table; filter assumed)` };
}

/** `# handle 12`: the handle `nft -a` prints after an item. */
const HANDLE_COMMENT = /^#\s*handle\s+\d+\s*$/;
/** What ends a rule nft printed: a verdict, NAT, masquerade, or a counter with its figures. */
const RULE_END = /(?:^|\s)(?:accept|drop|return|reject(?:\s+with\s+.+)?|masquerade(?:\s+\S+)*|(?:jump|goto)\s+\S+|(?:dnat|snat)\s+(?:ip6?\s+)?to\s+\S+|meta\s+mark\s+set\s+.+|counter\s+packets\s+\d+\s+bytes\s+\d+)\s*$/;

/**
 * Whether a `#` text inside a chain is an iptables extension nft printed because it cannot say it
 * in its own words (`# match-set KUBE-CLUSTER-IP dst,dst counter packets 3 bytes 180 accept`,
 * `... counter packets 0 bytes 0 # TPROXY redirect 127.0.0.1:42133 mark 0x200/0xffffffff`):
 * after a rule's words, any `#` text but a handle; at a line's start, one that ends as a rule does.
 */
function isXtText(image: string, afterWords: boolean): boolean {
  if (HANDLE_COMMENT.test(image)) return false;
  const text = image.slice(1).trim();
  if (text === '' || !/^[A-Za-z][\w.-]*(?:\s|$)/.test(text)) return false;
  return afterWords || RULE_END.test(text);
}

/** The words of such a text, as tokens of the rule: `#` and the extension's words, then the rule's. */
function xtWords(t: IToken): IToken[] {
  const word = (image: string): IToken => ({ ...t, image, tokenType: Word, startOffset: Number.NaN, endOffset: Number.NaN });
  // `nft -a` puts the handle after it, in the same `#` text.
  const text = t.image.slice(1).replace(/\s+#\s*handle\s+\d+\s*$/, '').trim();
  return [word('#'), ...text.split(/\s+/).map(word)];
}

function joinWords(tokens: readonly IToken[]): string[] {
  const words: string[] = [];
  let prev: IToken | undefined;
  let prevAlone = false;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as IToken;
    const gluedBefore = prev !== undefined && t.startOffset === (prev.endOffset ?? -2) + 1 && !prevAlone && words.length > 0;
    if (t.tokenType === Comma) {
      const next = tokens[k + 1];
      const gluedAfter = next !== undefined && next.startOffset === (t.endOffset ?? -2) + 1;
      if (gluedBefore && gluedAfter) {
        words[words.length - 1] += ',';
        prevAlone = false;
      } else {
        words.push(',');
        prevAlone = true;
      }
    } else if (gluedBefore) {
      words[words.length - 1] += t.image;
      prevAlone = false;
    } else {
      words.push(t.image);
      prevAlone = false;
    }
    prev = t;
  }
  return words;
}

/** `counter packets N bytes M` anywhere in the words: the counters, and the words with `counter` alone. */
function takeCounters(words: string[]): { counters: Counters; words: string[] } | undefined {
  const at = words.indexOf('counter');
  if (at < 0 || words[at + 1] !== 'packets' || words[at + 3] !== 'bytes') return undefined;
  const packets = words[at + 2] ?? '';
  const bytes = words[at + 4] ?? '';
  if (!/^\d+$/.test(packets) || !/^\d+$/.test(bytes)) return undefined;
  return { counters: { packets: Number(packets), bytes: Number(bytes) }, words: [...words.slice(0, at + 1), ...words.slice(at + 5)] };
}

function parsePriority(words: string[], family: NftFamily): number | undefined {
  const [base, op, offset] = words;
  if (base === undefined || words.length > 3 || words.length === 2) return undefined;
  const named = family === 'bridge' ? BRIDGE_PRIORITIES : PRIORITIES;
  const value = /^-?\d+$/.test(base) ? Number(base) : Object.hasOwn(named, base) ? named[base] : undefined;
  if (value === undefined) return undefined;
  if (op === undefined) return value;
  if ((op !== '+' && op !== '-') || offset === undefined || !/^\d+$/.test(offset)) return undefined;
  return op === '+' ? value + Number(offset) : value - Number(offset);
}

/** The text of a `"…"` string, with nft's `\"` and `\\` escapes read. */
function unquote(image: string): string {
  return image.slice(1, -1).replace(/\\(.)/g, '$1');
}
