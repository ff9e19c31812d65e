import fc from 'fast-check';
import type { IToken } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { fastItems } from './fast-path.js';
import type { Item } from './items.js';
import { lexMatchText } from './match-lexer.js';
import { grammarItems, parseMatchText } from './match-text.js';
import { splitMatchText } from './match-words.js';

/**
 * The two fast paths against their references, on generated match texts: the word splitter
 * against the chevrotain lexer, and the hand-written item recogniser against the chevrotain
 * grammar. The words are those of real listings plus noise, so that well-formed items, broken
 * items, negations and unknown runs all come up.
 */
const WORDS = [
  '/* a b */', '/* x */ y */', '/*', '*/', '"q r"', '"', '!', 'tcp', 'udp', 'sctp', 'dpt:80', 'spt:!22', 'dpts:1:2',
  'spts:http:https', 'dpt:', 'flags:0x17/0x02', 'flags:!SYN,ACK/SYN', 'option=5', 'statistic', 'mode', 'random', 'nth',
  'every', '3', 'packet', '1', 'probability', '0.50000000000', 'recent:', 'CHECK', 'SET', 'UPDATE', 'seconds:', '10800',
  'reap', 'name:', 'KUBE-SEP-X', 'side:', 'source', 'dest', 'mask:', '255.255.255.255', 'hit_count:', 'TTL-Match',
  'MARK', 'CONNMARK', 'or', 'xor', 'and', 'set', 'xset', '0x4000', '0x1/0xf', 'mark', 'connmark', 'match', 'ADDRTYPE',
  'src-type', 'dst-type', 'LOCAL', '!LOCAL', 'limit-in', 'limit-out', 'match-set', 'KUBE-CLUSTER-IP', 'dst,dst', 'src',
  'return-nomatch', 'update-counters', 'packets-eq', 'bytes-gt', '5', 'ctstate', 'NEW', 'RELATED,ESTABLISHED',
  'ctstatus', 'ASSURED', 'ctdir', 'REPLY', 'state', 'to:10.0.0.1:80', 'to:[fd00::1]:80', 'to:', 'random-fully',
  'persistent', 'reject-with', 'icmp-port-unreachable', 'nfacct-name', 'acct', '[goto]', 'owner', 'UID', 'GID', '1000',
  'multiport', 'dports', 'sports', '80,443', '!80,443', 'LOG', 'flags', 'level', 'prefix', 'info', 'tcp-sequence', 'foo',
  'bar:', 'PHYSDEV', '--physdev-in', 'eth0', '--physdev-is-bridged', 'icmp', 'icmptype', 'code', 'echo-request',
  '!type', 'ipv6-icmp', 'ipv6-icmptype', 'limit:', 'avg', '3/hour', 'burst', 'CT', 'notrack', 'zone', 'helper',
  'TCPMSS', 'clamp', 'to', 'PMTU', 'MAC', '00:11:22:33:44:55', 'length', '100:200', 'PKTTYPE', '=', '!=', 'multicast',
  'rpfilter', 'loose', 'invert', 'IP', 'range', 'destination', '10.0.0.1-10.0.0.9', 'masq', 'ports:', '1000-2000', 'redir',
  'ports', 'nflog-prefix', 'nflog-group', '-', '*',
];
const TARGETS = ['DNAT', 'SNAT', 'NETMAP', 'ACCEPT', 'MARK', 'KUBE-SEP-X', ''];

const matchText = fc
  .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(' ', '  ', '\t', ' \t ')), { maxLength: 24 })
  .map((parts) => parts.map(([w, sep]) => w + sep).join(''));

/** Items as plain data: token references become offsets. */
function plain(items: readonly Item[]): unknown {
  const at = (t: IToken): number => t.startOffset;
  return items.map((it) => ({
    kind: it.kind,
    first: at(it.first),
    last: at(it.last),
    lossy: it.lossy,
    broken: it.broken,
    args: it.args.map((a) => ({ flag: a.flag, negated: a.negated, values: a.values, at: at(a.at) })),
  }));
}

describe('fast paths against the chevrotain references', () => {
  it('the word splitter gives the lexer tokens', () => {
    fc.assert(
      fc.property(matchText, (t) => {
        const lexed = lexMatchText(t);
        expect(lexed.errors).toEqual([]);
        const view = (ts: readonly IToken[]): [string, string, number][] => ts.map((x) => [x.tokenType.name, x.image, x.startOffset]);
        expect(view(splitMatchText(t))).toEqual(view(lexed.tokens));
      }),
      { numRuns: 3000 },
    );
  });

  it('the word splitter gives the lexer tokens on arbitrary one-line text', () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 80 }).map((s) => s.replace(/[\r\n]/g, ' '));
    fc.assert(
      fc.property(line, (t) => {
        const view = (ts: readonly IToken[]): [string, string, number][] => ts.map((x) => [x.tokenType.name, x.image, x.startOffset]);
        expect(view(splitMatchText(t))).toEqual(view(lexMatchText(t).tokens));
      }),
      { numRuns: 2000 },
    );
  });

  it('the item recogniser, where it answers, gives the grammar items', () => {
    let answered = 0;
    fc.assert(
      fc.property(matchText, fc.constantFrom(...TARGETS), (t, target) => {
        const tokens = splitMatchText(t);
        const fast = fastItems(tokens, target);
        if (fast === undefined) return;
        answered++;
        expect(plain(fast)).toEqual(plain(grammarItems(tokens, target)));
      }),
      { numRuns: 4000 },
    );
    // The generator must reach the fast path often enough for the property to mean something.
    expect(answered).toBeGreaterThan(400);
  });

  it('parseMatchText gives the same items with and without the fast path', () => {
    fc.assert(
      fc.property(matchText, fc.constantFrom(...TARGETS), (t, target) => {
        expect(plain(parseMatchText(t, target))).toEqual(plain(parseMatchText(t, target, { path: 'grammar' })));
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws, and its items cover the text in order', () => {
    const anyText = fc.oneof(matchText, fc.string({ unit: 'grapheme', maxLength: 120 }).map((s) => s.replace(/[\r\n]/g, ' ')));
    fc.assert(
      fc.property(anyText, fc.constantFrom(...TARGETS), (t, target) => {
        const items = parseMatchText(t, target);
        let prevEnd = -1;
        for (const it of items) {
          expect(it.first.startOffset).toBeGreaterThan(prevEnd);
          expect(it.last.startOffset).toBeGreaterThanOrEqual(it.first.startOffset);
          prevEnd = it.last.startOffset;
        }
        const tokens = splitMatchText(t);
        expect(items.length === 0).toBe(tokens.length === 0);
        if (items.length > 0) {
          expect(items[0]?.first.startOffset).toBe(tokens[0]?.startOffset);
          expect(items[items.length - 1]?.last.startOffset).toBe(tokens[tokens.length - 1]?.startOffset);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
