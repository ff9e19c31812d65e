import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IToken, Lexer } from 'chevrotain';
import { listLexer } from './list-tokens.js';
import { saveLexer } from './save-tokens.js';
import { lexListLine, lexSaveLine } from './word-lexer.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/dumps/ipvs/', import.meta.url));

function shape(tokens: IToken[]): Array<[string, number, string]> {
  return tokens.map((t) => [t.image, t.startOffset, t.tokenType.name]);
}

function same(lexer: Lexer, fast: (line: string) => IToken[], line: string): void {
  const reference = lexer.tokenize(line);
  expect(reference.errors).toEqual([]);
  expect(shape(fast(line))).toEqual(shape(reference.tokens));
}

const fixtureLines = readdirSync(FIXTURES).flatMap((f) => readFileSync(FIXTURES + f, 'utf8').split('\n'));

/** Words that exercise every token: keywords, their prefixes and extensions, numbers, odd space. */
const WORDS = [
  '-A', '-a', '-E', '-e', '-D', '-d', '-C', '-t', '-u', '-f', '-6', '-s', '-p', '-M', '-o', '-b', '-r', '-m', '-g', '-i', '-w', '-x', '-y',
  '--add-service', '--tcp-service', '--sctp-service', '--persistent', '--pe', '--per', '--ops', '--tun-type', '--tun-port', '--tun-nocsum',
  '-tx', '-AA', '--', '-', '80', '0', '007', '10.0.0.1:80', '[fd00::1]:53', 'rr', 'sh-fallback,sh-port',
  'TCP', 'UDP', 'SCTP', 'FWM', 'IPv6', 'IPv6x', 'IP', 'Virtual', 'Server', 'version', '(size=4096)', '(size=)', '(sh-port)', '(a)(b)', '()',
  'Prot', 'LocalAddress:Port', 'LocalAddress', 'RemoteAddress:Port', 'Masq', 'Masquerade', 'Local', 'Route', 'Tunnel', 'persistent', 'pe',
  'mask', 'ops', 'opsy', '->', '->x', '1859K', '12M', '7G', '3T', '12KB', 'K', 'Conns', 'InPkts', 'CPS', 'Weight', 'PersistConn',
];
const SPACES = [' ', '  ', '\t', ' \u00a0', '\u2003', '\r'];
const lines = fc.array(fc.tuple(fc.constantFrom(...SPACES), fc.constantFrom(...WORDS)), { maxLength: 10 }).map((parts) => parts.map(([s, w]) => s + w).join(''));

describe('the fast ipvsadm lexers give the chevrotain lexers\' tokens', () => {
  it('on every fixture line', () => {
    for (const line of fixtureLines) {
      same(saveLexer(), lexSaveLine, line);
      same(listLexer(), lexListLine, line);
    }
  });

  it('on random lines of keywords, near-keywords, numbers and odd white space (property)', () => {
    fc.assert(
      fc.property(lines, (line) => {
        same(saveLexer(), lexSaveLine, line);
        same(listLexer(), lexListLine, line);
      }),
      { numRuns: 2000 },
    );
  });

  it('on random printable text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'-aAt6p ()[]:.,1K\t>sizeFWM'.split('')), maxLength: 40 }), (line) => {
        same(saveLexer(), lexSaveLine, line);
        same(listLexer(), lexListLine, line);
      }),
      { numRuns: 2000 },
    );
  });
});
