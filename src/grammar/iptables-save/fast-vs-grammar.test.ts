import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grammarParseLine } from './ast-builder.js';
import { fastParseLine } from './fast-line.js';
import { parseIptablesRules, parseIptablesSave } from './parse.js';
import type { ParsedLine } from './line.js';

/** Both readers on one line; the fast one may decline, but never disagree. */
function both(line: string): { fast: ParsedLine | undefined; grammar: ParsedLine } {
  return { fast: fastParseLine(line, 0, line.length, 'f', 7), grammar: grammarParseLine(line, 'f', 7) };
}

const chainName = fc.constantFrom('KUBE-SERVICES', 'KUBE-SVC-XPGD46QRK7WJZT7O', 'INPUT', 'cali-fw-cali1234', 'DOCKER-USER', 'X', 'a.b_c');
const plainValue = fc.constantFrom(
  'tcp',
  '10.0.0.0/8',
  '172.30.0.41',
  '80',
  '0x4000/0x4000',
  'KUBE-SEP-SXIVWICOYRO3J4NJ',
  'dst,dst',
  'icmp-port-unreachable',
  'ns1/svc1:p80',
  'RELATED,ESTABLISHED',
  'fd00:10::1/128',
  '[fd00::1]:80',
  '!x',
  '#x',
  '*x',
  ':x',
  '[0:0]',
  'COMMIT',
  '-',
  "don't",
  'a\\b',
);
const spacedValue = fc.constantFrom('ns1/svc1:p80 cluster IP', 'kubernetes service nodeports; NOTE: this must be the last rule', '', ' lead', 'x ', 'a\'b c');
const escapedValue = fc.constantFrom('a "b" c', 'back\\slash', '"');
const flag = fc.constantFrom(
  '-s',
  '-d',
  '-p',
  '-j',
  '-m',
  '-i',
  '-o',
  '--comment',
  '--dport',
  '--to-destination',
  '--probability',
  '--set',
  '--random-fully',
  '--nfacct-name',
  '--match-set',
  '-c',
  '-4',
  '--bogus',
  '-x',
  '-A',
);

/** How a value is written: bare, in double quotes, with escapes, or in single quotes. */
const writtenValue = fc.oneof(
  plainValue.map((v) => v),
  spacedValue.map((v) => `"${v}"`),
  plainValue.map((v) => (v.includes('"') ? v : `"${v}"`)),
  escapedValue.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`),
  spacedValue.filter((v) => !v.includes("'")).map((v) => `'${v}'`),
);

const gap = fc.constantFrom(' ', ' ', ' ', '  ', '\t');

const argument = fc.record({
  neg: fc.constantFrom('none', 'none', 'prefix', 'old'),
  flag,
  values: fc.array(writtenValue, { maxLength: 3 }),
});

/** A command line built from parts, mostly valid, sometimes not. */
const commandLineAny = fc
  .record({
    counters: fc.option(fc.constantFrom('[0:0]', '[12:3456]', '[x:1]'), { nil: undefined }),
    command: fc.constantFrom('-A', '-A', '-A', '-I', '-N', '-X', '-F', '-P', '-D', '--append'),
    chain: chainName,
    number: fc.option(fc.constantFrom('1', '3', 'x'), { nil: undefined }),
    policy: fc.constantFrom('ACCEPT', 'DROP', '-'),
    loader: fc.boolean(),
    args: fc.array(argument, { maxLength: 6 }),
    target: fc.option(fc.constantFrom('ACCEPT', 'KUBE-MARK-MASQ', 'DNAT'), { nil: undefined }),
    gaps: fc.array(gap, { minLength: 40, maxLength: 40 }),
    trailing: fc.constantFrom('', '', ' ', '  '),
  })
  .map((p) => {
    const words: string[] = [];
    if (p.counters) words.push(p.counters);
    words.push(p.command, p.chain);
    if (p.command === '-I' && p.number) words.push(p.number);
    if (p.command === '-P') words.push(p.policy);
    if (p.loader) words.push('-m', 'comment');
    for (const a of p.args) {
      if (a.neg === 'prefix') words.push('!');
      words.push(a.flag);
      if (a.neg === 'old') words.push('!');
      words.push(...a.values);
    }
    if (p.target) words.push('-j', p.target);
    let out = '';
    words.forEach((w, i) => {
      out += (i === 0 ? '' : (p.gaps[i % p.gaps.length] ?? ' ')) + w;
    });
    return out + p.trailing;
  });

/** A valid rule as dumps hold it: top-level options with one value, module options with any. */
const validArgument = fc.oneof(
  fc.record({
    neg: fc.constantFrom('none', 'none', 'prefix', 'old'),
    flag: fc.constantFrom('-s', '-d', '-p', '-m', '--source', '--destination'),
    values: fc.tuple(fc.oneof(plainValue, spacedValue.map((v) => `"${v}"`))),
  }),
  fc.record({
    neg: fc.constantFrom('none', 'none', 'prefix', 'old'),
    flag: fc.constantFrom('-i', '-o', '--in-interface', '--out-interface'),
    values: fc.tuple(fc.constantFrom('eth0', 'cali+', '+', 'eth0.100', 'veth-a_b', '"cni0"', "'docker0'", '@x', '0x10')),
  }),
  fc.record({
    neg: fc.constantFrom('none', 'none', 'prefix', 'old'),
    flag: fc.constantFrom('--comment', '--dport', '--to-destination', '--probability', '--set', '--random-fully', '--nfacct-name', '--match-set'),
    values: fc.array(fc.oneof(plainValue, spacedValue.map((v) => `"${v}"`)), { maxLength: 3 }),
  }),
);

const commandLineValid = fc
  .record({
    counters: fc.option(fc.constantFrom('[0:0]', '[12:3456]'), { nil: undefined }),
    head: fc.oneof(
      chainName.map((c) => `-A ${c}`),
      fc.tuple(chainName, fc.constantFrom('', ' 1', ' 42')).map(([c, n]) => `-I ${c}${n}`),
    ),
    args: fc.array(validArgument, { maxLength: 8 }),
    target: fc.option(fc.constantFrom('ACCEPT', 'KUBE-MARK-MASQ', 'DNAT --to-destination 10.0.0.1:80', 'LOG --log-prefix "x "'), { nil: undefined }),
    gaps: fc.array(fc.constantFrom(' ', ' ', ' ', '  '), { minLength: 40, maxLength: 40 }),
  })
  .map((p) => {
    const words: string[] = [];
    if (p.counters) words.push(p.counters);
    words.push(p.head, '-m', 'comment');
    for (const a of p.args) {
      if (a.neg === 'prefix') words.push('!');
      words.push(a.flag);
      if (a.neg === 'old' && a.values.length > 0) words.push('!');
      words.push(...a.values);
    }
    if (p.target) words.push('-j', p.target);
    return words.map((w, i) => (i === 0 ? '' : (p.gaps[i] ?? ' ')) + w).join('');
  });

const otherLine = fc.oneof(
  fc.constantFrom('*nat', '*filter', '*mangle', '*raw', '*security', '*bogus', '*', ' *nat', 'COMMIT', 'COMMIT ', ' COMMIT', 'COMMITX'),
  fc.constantFrom('# Generated by iptables-save v1.8.9', '#', '# rulec-ignore-next-line stale-chain, dup', '#\tx', '# naïve'),
  fc
    .record({
      name: chainName,
      policy: fc.constantFrom('-', 'ACCEPT', 'DROP', 'COMMIT', '-x', '--', '!'),
      counters: fc.constantFrom('', ' [0:0]', ' [123:45678]', ' [1:2]x', ' [a:b]', '[0:0]'),
    })
    .map((c) => `:${c.name} ${c.policy}${c.counters}`),
  fc.constantFrom('', '   ', ':', ':X', '-A', '!', 'foo bar', '-A X -j ACCEPT\u0000', '-A X "unterminated', "-A X 'open"),
);

/** Any string over the characters that matter to the readers. */
const noise = fc
  .array(fc.constantFrom('-', 'A', ' ', 'X', '"', "'", '\\', '!', 'j', 'm', '[', ']', ':', '0', '*', '#', 'C', '\t', 'é', '\u0001'), {
    maxLength: 30,
  })
  .map((cs) => cs.join(''));

describe('fast reader and grammar agree', () => {
  it('on generated valid rule lines, most of which the fast reader takes', () => {
    let accepted = 0;
    fc.assert(
      fc.property(commandLineValid, (line) => {
        const { fast, grammar } = both(line);
        expect(grammar.kind, line).toBe('command');
        if (fast !== undefined) {
          accepted++;
          expect(fast).toEqual(grammar);
        }
      }),
      { numRuns: 3000 },
    );
    // The fast reader must take the ordinary lines, or it would not be tested at all.
    expect(accepted).toBeGreaterThan(2500);
  });

  it('on generated command lines, valid or not', () => {
    let accepted = 0;
    fc.assert(
      fc.property(commandLineAny, (line) => {
        const { fast, grammar } = both(line);
        if (fast !== undefined) {
          accepted++;
          expect(fast).toEqual(grammar);
        }
      }),
      { numRuns: 4000 },
    );
    expect(accepted).toBeGreaterThan(20);
  });

  it('on generated table, chain, comment and odd lines', () => {
    fc.assert(
      fc.property(otherLine, (line) => {
        const { fast, grammar } = both(line);
        if (fast !== undefined) expect(fast).toEqual(grammar);
      }),
      { numRuns: 1500 },
    );
  });

  it('on noise, where neither throws and the fast reader declines every line the grammar rejects', () => {
    fc.assert(
      fc.property(noise, (line) => {
        const { fast, grammar } = both(line);
        if (grammar.kind === 'error') expect(fast).toBeUndefined();
        if (fast !== undefined) expect(fast).toEqual(grammar);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads the ordinary lines of a dump with the fast reader', () => {
    const lines = [
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O',
      '[0:0] -A KUBE-SEP-SXIVWICOYRO3J4NJ -s 10.180.0.1/32 -m comment --comment ns1/svc1:p80 -j KUBE-MARK-MASQ',
      '-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name  ct_state_invalid_dropped_pkts -j DROP',
      ':KUBE-SERVICES - [0:0]',
      ':INPUT ACCEPT [1234:56789]',
      '*nat',
      'COMMIT',
      '# Completed on Sun Nov 22 01:06:57 2026',
      '',
      '-A X ! -s 10.0.0.0/8 -j ACCEPT',
      '-A X -s ! 10.0.0.0/8 -j ACCEPT',
      '-P INPUT ACCEPT -c 10 20',
    ];
    for (const line of lines) {
      const { fast, grammar } = both(line);
      expect(fast, line).toBeDefined();
      expect(fast).toEqual(grammar);
    }
  });

  it('on every line of the dump fixtures', () => {
    const dir = join(import.meta.dirname, '../../../test/fixtures/dumps');
    const files = [...readdirSync(join(dir, 'iptables')).map((n) => join(dir, 'iptables', n)), join(dir, 'pasted-node.txt')];
    let checked = 0;
    for (const name of files) {
      const text = readFileSync(name, 'utf8');
      for (const line of text.split('\n')) {
        const { fast, grammar } = both(line);
        if (fast !== undefined) {
          expect(fast, `${name}: ${line}`).toEqual(grammar);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('on whole generated dumps: the same rule sets and diagnostics with and without the fast reader', () => {
    const dump = fc
      .record({
        tables: fc.array(
          fc.record({
            name: fc.constantFrom('filter', 'nat', 'mangle', 'raw'),
            lines: fc.array(fc.oneof(commandLineValid, commandLineValid, commandLineAny, otherLine), { maxLength: 12 }),
            commit: fc.boolean(),
          }),
          { maxLength: 4 },
        ),
      })
      .map((d) => d.tables.map((t) => [`*${t.name}`, ':KUBE-SERVICES - [0:0]', ...t.lines, ...(t.commit ? ['COMMIT'] : [])].join('\n')).join('\n'));
    fc.assert(
      fc.property(dump, (text) => {
        expect(parseIptablesSave(text, 'f')).toEqual(parseIptablesSave(text, 'f', { grammarOnly: true }));
        expect(parseIptablesRules(text, 'f')).toEqual(parseIptablesRules(text, 'f', { grammarOnly: true }));
      }),
      { numRuns: 400 },
    );
  });

  it('on every fixture file as a whole', () => {
    const dir = join(import.meta.dirname, '../../../test/fixtures/dumps/iptables');
    for (const name of readdirSync(dir)) {
      const text = readFileSync(join(dir, name), 'utf8');
      const parse = name.endsWith('.rules') ? parseIptablesRules : parseIptablesSave;
      const fast = parse(text, name);
      expect(fast.ruleSets.length, name).toBeGreaterThan(0);
      expect(fast, name).toEqual(parse(text, name, { grammarOnly: true }));
    }
  });
});
