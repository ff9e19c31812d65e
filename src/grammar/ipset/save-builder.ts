import type { IToken } from 'chevrotain';
import type { Diagnostic, Severity } from '../../diagnostics.js';
import type { IpSet, IpsetMember, IpsetRuleSet } from '../../ast/types.js';
import type { ParseResult } from '../format.js';
import { canonicalIpsetMember } from '../../ast/canonical-ipset.js';
import { checkMember, checkOptions, checkSetName, SET_TYPES, setFamily, withProtocolNames, type SetFamily } from './checks.js';
import { IpsetCode } from './codes.js';
import { numberedLines } from '../numbered-lines.js';
import { parseIpsetSaveLine } from './parser.js';
import { wordText } from './tokens.js';
import { lexIpsetLine } from './fast-lexer.js';
import { clip } from '../../display-text.js';
import { col } from '../token-columns.js';
import { ErrorLineLimit } from '../limits.js';

/**
 * Reads `ipset save` output (equally `ipset restore` input) into an ipset rule set. Lines are
 * applied in order as `ipset restore` would: `create`, `add`, `del`, `flush`, `destroy`,
 * `rename`, `swap`; `-exist` (or `-!`) on a line makes repeats and missing members harmless.
 * Blank lines and `#` comments are skipped; a bad line is reported and skipped.
 */

interface SetEntry {
  set: IpSet;
  line: number;
  family: SetFamily | undefined;
  /** Canonical member text -> index in `set.members`. */
  members: Map<string, number>;
}

/** A word of a line: its text without quotes, and its token for positions. */
interface LineWord {
  text: string;
  tok: IToken;
}

export class IpsetStateBuilder {
  readonly diagnostics: Diagnostic[] = [];
  readonly sets: IpSet[] = [];
  private readonly byName = new Map<string, SetEntry>();
  lineNo = 0;

  constructor(readonly file: string) {}

  report(column: number, severity: Severity, code: string, message: string): void {
    this.diagnostics.push({ file: this.file, line: this.lineNo, column, severity, code, message });
  }

  error(tok: IToken, code: string, message: string): void {
    this.report(col(tok), 'error', code, message);
  }

  entry(name: string): SetEntry | undefined {
    return this.byName.get(name);
  }

  /** Defines a set; false (after reporting) when it cannot be. */
  create(first: IToken, name: LineWord | undefined, type: LineWord | undefined, options: LineWord[], exist: boolean): IpSet | undefined {
    if (!name || !type) {
      this.error(name?.tok ?? first, IpsetCode.syntax, `'${first.image}' needs a set name and a set type`);
      return undefined;
    }
    const bad = checkSetName(name.text);
    if (bad) {
      this.error(name.tok, IpsetCode.badName, bad);
      return undefined;
    }
    if (!SET_TYPES.includes(type.text)) {
      this.error(type.tok, IpsetCode.badType, `unknown set type '${type.text}'`);
      return undefined;
    }
    const words = options.map((w) => w.text);
    const problem = checkOptions(words, 'create');
    if (problem) {
      const at = options[problem.index] ?? type;
      this.error(at.tok, problem.code === 'badNumber' ? IpsetCode.badNumber : IpsetCode.syntax, problem.message);
      return undefined;
    }
    const existing = this.byName.get(name.text);
    if (existing) {
      const same = existing.set.type === type.text && existing.set.options.join(' ') === words.join(' ');
      if (!(exist && same)) {
        this.error(name.tok, IpsetCode.duplicate, `set ${name.text} is already created (line ${existing.line})`);
      }
      return undefined;
    }
    const set: IpSet = { name: name.text, type: type.text, options: words, members: [], pos: { file: this.file, line: this.lineNo, column: col(first) } };
    this.sets.push(set);
    this.byName.set(set.name, { set, line: this.lineNo, family: setFamily(set.type, words), members: new Map() });
    return set;
  }

  /**
   * Checks a member against its set; the member, or undefined after reporting. A protocol
   * printed as a number (`17:53`) is named as netdb names it (`udp:53`).
   */
  member(entry: SetEntry, first: IToken, word: LineWord, options: LineWord[]): IpsetMember | undefined {
    const value = { text: withProtocolNames(entry.set.type, word.text), tok: word.tok };
    const problem = checkMember(entry.set.type, entry.family, value.text);
    if (problem) {
      this.error(value.tok, IpsetCode.badMember, problem);
      return undefined;
    }
    if (entry.set.type === 'list:set' && !this.byName.has(value.text)) {
      this.error(value.tok, IpsetCode.noSuchSet, `set ${value.text} does not exist, so list:set ${entry.set.name} cannot hold it`);
      return undefined;
    }
    const words = options.map((w) => w.text);
    const optProblem = checkOptions(words, 'member');
    if (optProblem) {
      const at = options[optProblem.index] ?? value;
      this.error(at.tok, optProblem.code === 'badNumber' ? IpsetCode.badNumber : IpsetCode.syntax, optProblem.message);
      return undefined;
    }
    return { value: value.text, options: words, pos: { file: this.file, line: this.lineNo, column: col(first) } };
  }

  add(entry: SetEntry, member: IpsetMember, valueTok: IToken, exist: boolean): void {
    const key = canonicalIpsetMember(entry.set.type, member.value);
    const at = entry.members.get(key);
    if (at !== undefined) {
      if (!exist) {
        const line = entry.set.members[at]?.pos?.line;
        this.error(valueTok, IpsetCode.duplicate, `${member.value} is already in set ${entry.set.name}${line ? ` (line ${line})` : ''}`);
      }
      return;
    }
    entry.members.set(key, entry.set.members.length);
    entry.set.members.push(member);
  }

  private del(entry: SetEntry, word: LineWord, exist: boolean): void {
    const value = { text: withProtocolNames(entry.set.type, word.text), tok: word.tok };
    const key = canonicalIpsetMember(entry.set.type, value.text);
    const at = entry.members.get(key);
    if (at === undefined) {
      if (!exist) this.error(value.tok, IpsetCode.badMember, `${value.text} is not in set ${entry.set.name}`);
      return;
    }
    entry.set.members.splice(at, 1);
    this.reindex(entry);
  }

  private reindex(entry: SetEntry): void {
    entry.members.clear();
    entry.set.members.forEach((m, i) => entry.members.set(canonicalIpsetMember(entry.set.type, m.value), i));
  }

  /** The set a line names, or undefined after reporting. */
  private named(word: LineWord | undefined, first: IToken, exist: boolean): SetEntry | undefined {
    if (!word) {
      this.error(first, IpsetCode.syntax, `'${first.image}' needs a set name`);
      return undefined;
    }
    const entry = this.byName.get(word.text);
    if (!entry && !exist) this.error(word.tok, IpsetCode.noSuchSet, `set ${word.text} does not exist (no create line for it before this one)`);
    return entry;
  }

  saveLine(text: string, lineNo: number): void {
    this.lineNo = lineNo;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const lexed = lexIpsetLine(text);
    if (lexed.errorOffset !== undefined) {
      const ch = text[lexed.errorOffset];
      const message = ch === '"' ? 'unbalanced quote: the string has no closing "' : `unexpected character '${ch ?? ''}'`;
      this.report(lexed.errorOffset + 1, 'error', IpsetCode.syntax, message);
      return;
    }
    const first = lexed.tokens[0];
    if (!first) return;
    if (!first.tokenType.name.startsWith('Cmd_')) {
      if (/^[a-z]+$/.test(first.image)) this.error(first, IpsetCode.syntax, `unknown ipset command '${first.image}'`);
      else this.report(col(first), 'warning', IpsetCode.strayLine, `'${clip(trimmed, 40, 40)}' is not an ipset command; line skipped`);
      return;
    }
    const parsed = parseIpsetSaveLine(lexed.tokens);
    if (!parsed.line || parsed.line.kind !== 'command') {
      const tok = parsed.errorToken ?? first;
      this.error(tok, IpsetCode.syntax, `unexpected '${tok.image}'`);
      return;
    }
    const { command } = parsed.line;
    let exist = false;
    const words: LineWord[] = [];
    for (const tok of parsed.line.words) {
      if (tok.image === '-exist' || tok.image === '-!') exist = true;
      else words.push({ text: wordText(tok.image), tok });
    }
    const [a, b, ...rest] = words;
    switch (command) {
      case 'create':
        this.create(first, a, b, rest, exist);
        return;
      case 'add':
      case 'del':
      case 'test': {
        const entry = this.named(a, first, exist);
        if (!entry) return;
        if (!b) {
          this.error(a?.tok ?? first, IpsetCode.syntax, `'${command}' needs a member after the set name`);
          return;
        }
        if (command === 'add') {
          const member = this.member(entry, first, b, rest);
          if (member) this.add(entry, member, b.tok, exist);
        } else if (command === 'del') this.del(entry, b, exist);
        return;
      }
      case 'flush':
      case 'destroy': {
        if (b) {
          this.error(b.tok, IpsetCode.syntax, `unexpected '${b.text}': '${command}' takes one set name at most`);
          return;
        }
        const targets = a ? [this.named(a, first, exist)] : [...this.byName.values()];
        for (const entry of targets) {
          if (!entry) continue;
          if (command === 'flush') {
            entry.set.members.length = 0;
            entry.members.clear();
          } else {
            this.byName.delete(entry.set.name);
            this.sets.splice(this.sets.indexOf(entry.set), 1);
          }
        }
        return;
      }
      case 'rename':
      case 'swap': {
        const from = this.named(a, first, false);
        if (!from) return;
        if (!b) {
          this.error(a?.tok ?? first, IpsetCode.syntax, `'${command}' needs two set names`);
          return;
        }
        if (command === 'rename') {
          const bad = checkSetName(b.text);
          if (bad || this.byName.has(b.text)) {
            this.error(b.tok, bad ? IpsetCode.badName : IpsetCode.duplicate, bad ?? `set ${b.text} already exists`);
            return;
          }
          this.byName.delete(from.set.name);
          from.set.name = b.text;
          this.byName.set(b.text, from);
          return;
        }
        const to = this.named(b, first, false);
        if (!to) return;
        // Swapping exchanges the contents: each name now refers to the other set.
        const fromName = from.set.name;
        from.set.name = to.set.name;
        to.set.name = fromName;
        this.byName.set(from.set.name, from);
        this.byName.set(to.set.name, to);
        return;
      }
    }
  }
}

export function parseIpsetSave(text: string, file: string, firstLine = 1): ParseResult {
  const builder = new IpsetStateBuilder(file);
  const limit = new ErrorLineLimit(builder.diagnostics, file);
  for (const { text: line, line: n } of numberedLines(text, firstLine)) {
    builder.saveLine(line, n);
    if (!limit.goOn(n)) break;
  }
  const ruleSet: IpsetRuleSet = {
    kind: 'ipset',
    sets: builder.sets,
    origin: 'ipset-save',
    fidelity: 'exact',
    pos: { file, line: firstLine, column: 1 },
  };
  return { ruleSets: [ruleSet], diagnostics: builder.diagnostics };
}
