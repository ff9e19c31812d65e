import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matchesOf, matchValue, optionOf, ruleComment, ruleComments, ruleTarget, viewArgs, viewRule } from './rule-view.js';
import type { Arg, Rule } from './types.js';
import { ruleSetFixtures } from '../../test/fixtures/as-saved/kernel-setup.js';
import { readRestoreText, readRule } from '../../test/fixtures/as-saved/restore-text.js';

const a = (flag: string, ...values: string[]): Arg => ({ flag, negated: false, values });
const not = (flag: string, ...values: string[]): Arg => ({ flag, negated: true, values });

/** The view as plain data: module → `[!]flag values` strings. */
function shape(rule: Rule): unknown {
  const v = viewRule(rule);
  const opt = (o: Arg): string => `${o.negated ? '!' : ''}${o.flag}${o.values.length ? ` ${o.values.join(' ')}` : ''}`;
  return {
    protocol: v.protocol && `${v.protocol.negated ? '!' : ''}${v.protocol.value}`,
    source: v.source && `${v.source.negated ? '!' : ''}${v.source.value}`,
    destination: v.destination && `${v.destination.negated ? '!' : ''}${v.destination.value}`,
    inInterface: v.inInterface?.value,
    outInterface: v.outInterface?.value,
    matches: v.matches.map((m) => `${m.implicit ? '(implicit) ' : ''}${m.module}: ${m.options.map(opt).join(', ')}`),
    target: v.target && `${v.target.kind} ${v.target.name}: ${v.target.options.map(opt).join(', ')}`,
    comment: v.comment,
    stray: v.stray.map(opt),
  };
}

describe('viewRule', () => {
  it('attributes kube-proxy options to the built-ins, the matches and the target', () => {
    const r = readRule('-m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ');
    expect(shape(r)).toEqual({
      protocol: 'tcp',
      source: '!10.0.0.0/8',
      destination: '172.30.0.41',
      inInterface: undefined,
      outInterface: undefined,
      matches: ['comment: --comment ns1/svc1:p80 cluster IP', 'tcp: --dport 80'],
      target: 'jump KUBE-MARK-MASQ: ',
      comment: 'ns1/svc1:p80 cluster IP',
      stray: [],
    });
  });

  it('loads the protocol module implicitly where its first option appears', () => {
    const r = readRule('-m comment --comment x -p tcp --dport 80 -s 1.2.3.4 -m comment --comment y --sport 5 -j DROP');
    expect((shape(r) as { matches: string[] }).matches).toEqual([
      'comment: --comment x',
      '(implicit) tcp: --dport 80, --sport 5',
      'comment: --comment y',
    ]);
    const icmp = viewRule(readRule('-p icmp --icmp-type echo-request -j ACCEPT'));
    expect(icmp.matches.map((m) => [m.module, m.implicit])).toEqual([['icmp', true]]);
  });

  it('gives an option to the most recently loaded module that has it', () => {
    const v = viewArgs([a('-m', 'mark'), a('--mark', '0x1'), a('-m', 'connmark'), a('--mark', '0x2'), a('-j', 'CONNMARK'), a('--mark', '0x3')]);
    // CONNMARK (the target) has no --mark option: the latest match that has it is connmark
    expect(v.matches.map((m) => [m.module, m.options.map((o) => o.values[0])])).toEqual([
      ['mark', ['0x1']],
      ['connmark', ['0x2', '0x3']],
    ]);
    expect(v.target?.options).toEqual([]);
  });

  it('splits target options from match options, matches written after -j included', () => {
    const r = readRule('-p tcp -j DNAT --to-destination 10.0.0.1:80 -m comment --comment late --random');
    expect(shape(r)).toMatchObject({
      matches: ['comment: --comment late'],
      target: 'jump DNAT: --to-destination 10.0.0.1:80, --random',
      comment: 'late',
    });
    expect(ruleTarget(readRule('-g KUBE-EXT-X'))).toMatchObject({ name: 'KUBE-EXT-X', kind: 'goto', options: [] });
    expect(ruleTarget(readRule('-m comment --comment x'))).toBeUndefined();
  });

  it('keeps unknown options with the latest unknown module, else the latest module, else stray', () => {
    const v = viewArgs([a('-m', 'comment'), a('--comment', 'c'), a('-m', 'bpf2'), a('--prog', 'x'), a('--comment', 'd'), a('--weird')]);
    expect(v.matches.map((m) => [m.module, m.options.map((o) => o.flag)])).toEqual([
      ['comment', ['--comment', '--comment']],
      ['bpf2', ['--prog', '--weird']],
    ]);
    const w = viewArgs([a('-m', 'tcp'), a('--dport', '1'), a('--bogus')]);
    expect(w.matches[0]?.options.map((o) => o.flag)).toEqual(['--dport', '--bogus']);
    expect(viewArgs([a('--dport', '80'), a('-j', 'ACCEPT')]).stray.map((o) => o.flag)).toEqual(['--dport']);
    // an unknown upper-case target takes the options nobody else has; a chain jump does not
    expect(viewArgs([a('-j', 'SYNPROXY'), a('--sack-perm')]).target?.options.map((o) => o.flag)).toEqual(['--sack-perm']);
    expect(viewArgs([a('-j', 'KUBE-SVC-X'), a('--sack-perm')]).stray.map((o) => o.flag)).toEqual(['--sack-perm']);
  });

  it('reads long spellings of built-ins and negations', () => {
    const v = viewArgs([
      not('--protocol', 'udp'),
      a('--source', '1.1.1.1'),
      a('--dst', '2.2.2.2'),
      a('--in-interface', 'eth0'),
      not('--out-interface', 'lo'),
      not('--fragment'),
      a('--jump', 'ACCEPT'),
    ]);
    expect([v.protocol?.value, v.protocol?.negated, v.source?.value, v.destination?.value, v.inInterface?.value, v.outInterface?.negated, v.fragment?.negated, v.target?.name]).toEqual([
      'udp',
      true,
      '1.1.1.1',
      '2.2.2.2',
      'eth0',
      true,
      true,
      'ACCEPT',
    ]);
    // `! -p tcp` loads no tcp module: --dport then belongs to nobody
    expect(viewArgs([not('-p', 'tcp'), a('--dport', '80')]).stray).toHaveLength(1);
  });

  it('helpers: comments, option lookup by any spelling', () => {
    const r = readRule('-m comment --comment "a b" -m comment --comment c -p tcp -m multiport --destination-ports 80,443 -m tcp --destination-port 5 -j ACCEPT');
    expect(ruleComment(r)).toBe('a b');
    expect(ruleComments(r)).toEqual(['a b', 'c']);
    const v = viewRule(r);
    expect(matchesOf(v, 'comment')).toHaveLength(2);
    expect(optionOf(matchesOf(v, 'multiport')[0] as never, '--dports')?.values).toEqual(['80,443']);
    expect(matchValue(v, 'tcp', '--dport')).toBe('5');
    expect(optionOf(v.target as never, '--to-destination')).toBeUndefined();
  });
});

describe('viewRule over real rule sets', () => {
  it('every argument lands in exactly one place, in the written order per owner (property)', () => {
    for (const f of ruleSetFixtures()) {
      const rs = readRestoreText(readFileSync(f.input, 'utf8'), f.family);
      for (const t of rs.tables) {
        for (const c of t.chains) {
          for (const r of c.rules) {
            const v = viewRule(r);
            const placed: Arg[] = [];
            for (const b of [v.protocol, v.source, v.destination, v.inInterface, v.outInterface]) if (b) placed.push(b.arg);
            if (v.fragment) placed.push(v.fragment.arg);
            for (const m of v.matches) placed.push(...(m.arg ? [m.arg] : []), ...m.options);
            if (v.target) placed.push(v.target.arg, ...v.target.options);
            placed.push(...v.stray);
            expect(placed).toHaveLength(r.args.length);
            expect(new Set(placed)).toEqual(new Set(r.args));
            // every module rulec knows claims its own options: nothing stray in real dumps
            expect(v.stray).toEqual([]);
          }
        }
      }
    }
  });

  it('never throws on arbitrary argument lists (property)', () => {
    const flag = fc.constantFrom('-p', '-s', '-m', '-j', '-g', '--dport', '--comment', '--mark', '--to', '--set', '--x', '-f');
    const arg = fc.record({ flag, negated: fc.boolean(), values: fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }) });
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 12 }), (args) => {
        const v = viewArgs(args);
        const count =
          [v.protocol, v.source, v.destination, v.inInterface, v.outInterface, v.fragment, v.counters].filter(Boolean).length +
          v.matches.reduce((n, m) => n + (m.arg ? 1 : 0) + m.options.length, 0) +
          (v.target ? 1 + v.target.options.length : 0) +
          v.stray.length;
        // built-ins given twice keep only the last: every other argument is placed once
        expect(count).toBeLessThanOrEqual(args.length);
      }),
      { numRuns: 300 },
    );
  });
});
