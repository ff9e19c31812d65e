import type { IToken } from 'chevrotain';
import type { IpsetListing, IpsetRuleSet } from '../../ast/types.js';
import type { ParseResult } from '../format.js';
import { IpsetCode } from './codes.js';
import { numberedLines } from '../numbered-lines.js';
import { parseIpsetListLine } from './parser.js';
import { IpsetStateBuilder } from './save-builder.js';
import { col } from '../token-columns.js';
import { wordText, type ListField } from './tokens.js';
import { lexIpsetLine } from './fast-lexer.js';
import { clip } from '../../display-text.js';
import { ErrorLineLimit } from '../limits.js';

/**
 * Reads `ipset list` output: one block per set,
 *
 *   Name: KUBE-CLUSTER-IP
 *   Type: hash:ip,port
 *   Revision: 7
 *   Header: family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x...
 *   Size in memory: 360
 *   References: 2
 *   Number of entries: 3
 *   Members:
 *   10.96.0.1,tcp:443
 *
 * separated by blank lines. `ipset list -t` blocks have no `Members:` section: their sets are
 * kept with no members and the rule set is marked lossy. Blocks that stop before `Header:` are
 * reported as cut short.
 */

/** Why an `ipset list` rule set is lossy: one reason each, as `lossyBecause` holds them. */
const IPSET_LIST_LOSSY = {
  terse: 'sets listed without their members (ipset list -t)',
} as const;

interface Block {
  nameTok: IToken;
  name: string;
  line: number;
  type?: { text: string; tok: IToken };
  header?: Array<{ text: string; tok: IToken }>;
  listing: IpsetListing;
  inMembers: boolean;
  /** The set once created from Name/Type/Header; undefined if that failed. */
  created: boolean;
}

const NUMERIC_FIELDS: Partial<Record<ListField, keyof IpsetListing>> = {
  revision: 'revision',
  sizeInMemory: 'sizeInMemory',
  references: 'references',
  entries: 'entries',
};

class IpsetListBuilder {
  readonly state: IpsetStateBuilder;
  private block: Block | undefined;
  lossy = false;
  private lossyNoted = false;

  constructor(file: string) {
    this.state = new IpsetStateBuilder(file);
  }

  line(text: string, lineNo: number): void {
    this.state.lineNo = lineNo;
    const trimmed = text.trim();
    if (trimmed === '') {
      if (this.block) this.block.inMembers = false;
      return;
    }
    const lexed = lexIpsetLine(text);
    if (lexed.errorOffset !== undefined) {
      const ch = text[lexed.errorOffset];
      const message = ch === '"' ? 'unbalanced quote: the string has no closing "' : `unexpected character '${ch ?? ''}'`;
      this.state.report(lexed.errorOffset + 1, 'error', IpsetCode.syntax, message);
      return;
    }
    const first = lexed.tokens[0];
    if (!first) return;
    const parsed = parseIpsetListLine(lexed.tokens);
    const line = parsed.line;
    if (!line) {
      const tok = parsed.errorToken ?? first;
      this.state.error(tok, IpsetCode.syntax, `unexpected '${tok.image}'`);
      return;
    }
    if (line.kind === 'member' || line.kind === 'command') {
      this.memberLine(line.words, first, trimmed);
      return;
    }
    this.field(line.field, line.first, line.words);
  }

  private field(field: ListField, first: IToken, words: IToken[]): void {
    if (field === 'name') {
      this.finish();
      const name = words[0];
      if (!name || words.length > 1) {
        const extra = words[1];
        if (extra) this.state.error(extra, IpsetCode.syntax, `unexpected '${extra.image}' after the set name`);
        else this.state.error(first, IpsetCode.syntax, "'Name:' without a set name");
        return;
      }
      this.block = {
        nameTok: name,
        name: wordText(name.image),
        line: this.state.lineNo,
        listing: { membersListed: false },
        inMembers: false,
        created: false,
      };
      return;
    }
    const block = this.block;
    if (!block) {
      this.state.error(first, IpsetCode.truncated, `'${first.image}' comes before any 'Name:' line`);
      return;
    }
    if (block.inMembers) {
      this.state.error(first, IpsetCode.truncated, `'${first.image}' among the members of set ${block.name}; a blank line must end a block`);
      return;
    }
    const numeric = NUMERIC_FIELDS[field];
    if (numeric) {
      const value = words[0];
      if (!value || words.length > 1 || !/^\d+$/.test(value.image)) {
        this.state.error(value ?? first, IpsetCode.badNumber, `'${first.image}' needs one number`);
        return;
      }
      if (numeric !== 'membersListed') block.listing[numeric] = Number(value.image);
      return;
    }
    if (field === 'type') {
      const value = words[0];
      if (!value || words.length > 1) {
        this.state.error(value ? (words[1] as IToken) : first, IpsetCode.syntax, "'Type:' needs one set type");
        return;
      }
      block.type = { text: value.image, tok: value };
      return;
    }
    if (field === 'header') {
      block.header = words.map((tok) => ({ text: wordText(tok.image), tok }));
      this.materialize(block);
      return;
    }
    // Members:
    if (words[0]) {
      this.state.error(words[0], IpsetCode.syntax, `unexpected '${words[0].image}' after 'Members:'`);
      return;
    }
    this.materialize(block);
    block.listing.membersListed = true;
    block.inMembers = true;
  }

  /** Creates the set once its type and header are known. */
  private materialize(block: Block): void {
    if (block.created || !block.type) return;
    block.created = true;
    const line = this.state.lineNo;
    this.state.lineNo = block.line;
    const set = this.state.create(block.nameTok, { text: block.name, tok: block.nameTok }, block.type, block.header ?? [], false);
    this.state.lineNo = line;
    if (set) {
      set.listing = block.listing;
      set.pos = { file: this.state.file, line: block.line, column: 1 };
    }
  }

  private memberLine(words: IToken[], first: IToken, trimmed: string): void {
    const block = this.block;
    const stray = /^(---+|\.\.\.+)$/.test(first.image) || /^\S*[$#]$/.test(first.image);
    if (!block || !block.inMembers || stray) {
      this.state.report(col(first), 'warning', IpsetCode.strayLine, `'${clip(trimmed, 40, 40)}' is not part of an ipset listing; line skipped`);
      return;
    }
    const entry = this.state.entry(block.name);
    if (!entry) return;
    const [value, ...options] = words.map((tok) => ({ text: wordText(tok.image), tok }));
    if (!value) return;
    const member = this.state.member(entry, first, value, options);
    if (member) this.state.add(entry, member, value.tok, false);
  }

  /** Closes the current block: reports what it lacks. */
  finish(): void {
    const block = this.block;
    if (!block) return;
    this.block = undefined;
    const lineNo = this.state.lineNo;
    this.state.lineNo = block.line;
    const missing = !block.type ? 'Type:' : !block.header ? 'Header:' : undefined;
    if (missing) {
      this.state.report(1, 'error', IpsetCode.truncated, `set ${block.name} is cut short: its block has no '${missing}' line`);
      this.state.lineNo = lineNo;
      return;
    }
    this.materialize(block);
    const entry = this.state.entry(block.name);
    if (entry && !block.listing.membersListed) {
      this.lossy = true;
      if (!this.lossyNoted) {
        this.lossyNoted = true;
        this.state.report(1, 'note', IpsetCode.lossy, `set ${block.name} is listed without members (ipset list -t); the rule set is marked lossy`);
      }
    } else if (entry && block.listing.entries !== undefined && block.listing.entries !== entry.set.members.length) {
      this.state.report(
        1,
        'warning',
        IpsetCode.truncated,
        `set ${block.name} lists ${entry.set.members.length} members, but 'Number of entries:' says ${block.listing.entries}`,
      );
    }
    this.state.lineNo = lineNo;
  }
}

export function parseIpsetList(text: string, file: string, firstLine = 1): ParseResult {
  const builder = new IpsetListBuilder(file);
  const limit = new ErrorLineLimit(builder.state.diagnostics, file);
  for (const { text: line, line: n } of numberedLines(text, firstLine)) {
    builder.line(line, n);
    if (!limit.goOn(n)) break;
  }
  builder.finish();
  const ruleSet: IpsetRuleSet = {
    kind: 'ipset',
    sets: builder.state.sets,
    origin: 'ipset-list',
    fidelity: builder.lossy ? 'lossy' : 'exact',
    pos: { file, line: firstLine, column: 1 },
  };
  if (builder.lossy) ruleSet.lossyBecause = [IPSET_LIST_LOSSY.terse];
  return { ruleSets: [ruleSet], diagnostics: builder.state.diagnostics };
}
