import type { IToken } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { splitMatchText } from './match-words.js';

const view = (tokens: readonly IToken[]): [string, string, number][] =>
  tokens.map((t) => [t.tokenType.name, t.image, t.startOffset]);

describe('splitMatchText (the fast word splitter)', () => {
  it('cuts a kube-proxy row into keyword, prefixed and plain tokens', () => {
    expect(view(splitMatchText('/* ns/svc:p80 -> 10.0.0.1:80 */ tcp dpt:80 to:10.0.0.1:80 random-fully'))).toEqual([
      ['Comment', '/* ns/svc:p80 -> 10.0.0.1:80 */', 0],
      ['K_tcp', 'tcp', 32],
      ['PortSpec', 'dpt:80', 36],
      ['ToSpec', 'to:10.0.0.1:80', 43],
      ['K_random_2d_fully', 'random-fully', 58],
    ]);
  });

  it('ends a comment at the "*/" that is followed by the end or by an item', () => {
    expect(view(splitMatchText('/* has */ inside and "quotes" */'))).toEqual([['Comment', '/* has */ inside and "quotes" */', 0]]);
    expect(view(splitMatchText('/* a */ tcp /* b */'))).toEqual([
      ['Comment', '/* a */', 0],
      ['K_tcp', 'tcp', 8],
      ['Comment', '/* b */', 12],
    ]);
    // No candidate is followed by an item: the first one ends it.
    expect(view(splitMatchText('/* a */ foo */ bar'))).toEqual([
      ['Comment', '/* a */', 0],
      ['Word', 'foo', 8],
      ['Word', '*/', 12],
      ['Word', 'bar', 15],
    ]);
    // An unclosed comment is words.
    expect(view(splitMatchText('/* open'))).toEqual([
      ['Word', '/*', 0],
      ['Word', 'open', 3],
    ]);
  });

  it('reads quoted strings with blanks and quotes inside, and a lone "!" apart from "!80"', () => {
    expect(view(splitMatchText('LOG flags 0 level 4 prefix "in "drop": "'))).toEqual([
      ['K_LOG', 'LOG', 0],
      ['K_flags', 'flags', 4],
      ['Word', '0', 10],
      ['K_level', 'level', 12],
      ['Word', '4', 18],
      ['K_prefix', 'prefix', 20],
      ['Quoted', '"in "drop": "', 27],
    ]);
    expect(view(splitMatchText('! match-set S src multiport sports  !80,443'))).toEqual([
      ['Bang', '!', 0],
      ['K_match_2d_set', 'match-set', 2],
      ['Word', 'S', 12],
      ['Word', 'src', 14],
      ['K_multiport', 'multiport', 18],
      ['K_sports', 'sports', 28],
      ['Word', '!80,443', 36],
    ]);
  });
});
