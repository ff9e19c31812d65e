import type { IToken } from 'chevrotain';
import { fastItems } from './fast-path.js';
import type { Item } from './items.js';
import { MatchTextParser } from './match-parser.js';
import { splitMatchText } from './match-words.js';

/**
 * Parses the match text of one listing row into items: tokens from the fast word splitter,
 * items from the fast path when it recognises every item, from the chevrotain grammar
 * otherwise. Unknown words and broken items are then merged with their unknown neighbours into
 * one item of kind `unknown`, whose `broken` holds the reasons, if any.
 */
let shared: MatchTextParser | undefined;
/** Built on first use: building a chevrotain parser costs tens of milliseconds. */
function parserOf(): MatchTextParser {
  shared ??= new MatchTextParser();
  return shared;
}

export interface MatchTextOptions {
  /** `grammar` skips the fast path (used to check that both paths agree). */
  path?: 'auto' | 'grammar';
  /** Tokens to use instead of splitting the text (e.g. from the chevrotain lexer). */
  tokens?: IToken[];
}

export function parseMatchText(text: string, target: string, options: MatchTextOptions = {}): Item[] {
  const tokens = options.tokens ?? splitMatchText(text);
  if (tokens.length === 0) return [];
  const items = (options.path === 'grammar' ? undefined : fastItems(tokens, target)) ?? grammarItems(tokens, target);
  return mergeUnknown(items);
}

/** The items of the chevrotain grammar, before unknown runs are merged. */
export function grammarItems(tokens: IToken[], target: string): Item[] {
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (first === undefined || last === undefined) return [];
  const parser = parserOf();
  parser.target = target;
  parser.input = tokens;
  const items = parser.matchText();
  if (parser.errors.length > 0 || items === undefined) {
    // The grammar is written so that this cannot happen; keep the whole text if it does.
    return [{ kind: 'unknown', args: [], first, last, lossy: undefined, broken: 'the match text could not be read' }];
  }
  return items;
}

/** At most this many different reasons are kept for one unknown stretch; more are `…`. */
const MAX_REASONS = 3;

/** The reasons of a stretch with one more: each said once, and no more than a few. */
function withReason(reasons: string | undefined, reason: string): string {
  if (reasons === undefined) return reason;
  const parts = reasons.split('; ');
  if (parts.includes(reason) || parts[parts.length - 1] === '…') return reasons;
  return parts.length >= MAX_REASONS ? `${reasons}; …` : `${reasons}; ${reason}`;
}

function mergeUnknown(items: Item[]): Item[] {
  const out: Item[] = [];
  for (const it of items) {
    const unknown = it.kind === 'unknown' || it.broken !== undefined;
    const prev = out[out.length - 1];
    if (!unknown) {
      out.push(it);
    } else if (prev !== undefined && prev.kind === 'unknown') {
      prev.last = it.last;
      if (it.broken !== undefined) prev.broken = withReason(prev.broken, it.broken);
    } else {
      const merged: Item = { kind: 'unknown', args: [], first: it.first, last: it.last, lossy: undefined };
      if (it.broken !== undefined) merged.broken = it.broken;
      out.push(merged);
    }
  }
  return out;
}

/** End offset (exclusive) of a token in the match text. */
export function tokenEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}
