import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Arg, Chain, Rule } from '../../ast/types.js';
import { ruleTargetName } from '../../ast/rule-view.js';
import { ChainNumbers } from './chain-numbers.js';
import { AFFINITY, GOTO, MODE, NTH, RANDOM, TableFacts } from './table-facts.js';

/** The facts of one rule, read the plain way: one question, one scan of the arguments. */
function expected(rule: Rule) {
  const args = rule.args;
  const firstTarget = args.findIndex((a) => ['-j', '--jump', '-g', '--goto'].includes(a.flag));
  const before = firstTarget < 0 ? args : args.slice(0, firstTarget);
  const after = firstTarget < 0 ? [] : args.slice(firstTarget + 1);
  const lastTarget = [...args].reverse().find((a) => ['-j', '--jump', '-g', '--goto'].includes(a.flag));
  const protocolArg = before.find((a) => ['-p', '--protocol'].includes(a.flag) && !a.negated && (a.values[0] ?? '') !== '');
  const lower = protocolArg?.values[0]?.toLowerCase();
  const modes = args.filter((a) => a.flag === '--mode');
  const mode = modes.length > 0 ? modes[modes.length - 1]?.values[0] : undefined;
  const probabilities = args.flatMap((a, i) => (a.flag === '--probability' ? [i] : []));
  const probabilityArg = probabilities.length > 0 ? (probabilities[probabilities.length - 1] as number) : -1;
  let bits = 0;
  if (lastTarget && (lastTarget.flag === '-g' || lastTarget.flag === '--goto')) bits |= GOTO;
  if (args.some((a) => a.flag === '--rcheck' || a.flag === '--update')) bits |= AFFINITY;
  if (args.some((a) => a.flag === '--every' || a.flag === '--packet')) bits |= NTH;
  if (mode !== undefined) bits |= mode === 'random' ? MODE | RANDOM : MODE;
  return {
    target: ruleTargetName(rule),
    bits,
    comment: args.find((a) => a.flag === '--comment' && a.values[0] !== undefined)?.values[0],
    protocol: lower === '6' ? 'tcp' : lower === '17' ? 'udp' : lower === '132' ? 'sctp' : lower,
    source: before.find((a) => ['-s', '--source', '--src'].includes(a.flag) && !a.negated && a.values[0] !== undefined)?.values[0],
    toDestination: after.find((a) => ['--to-destination', '--to'].includes(a.flag) && a.values[0] !== undefined)?.values[0],
    probabilityArg,
    probability: probabilityArg < 0 ? undefined : args[probabilityArg]?.values[0],
  };
}

const FLAGS = ['-j', '-g', '--jump', '--goto', '-p', '--protocol', '-s', '--source', '--src', '-d', '--comment', '--to-destination', '--to', '--mode', '--probability', '--rcheck', '--update', '--every', '--packet', '-m', '--dport'];
const VALUES = ['tcp', 'TCP', '6', '17', '132', 'Udp', '', 'random', 'nth', '10.0.0.1', '10.0.0.1:80', 'ns/svc:p', 'X', 'Y', 'KUBE-SEP-SXIVWICOYRO3J4NJ', 'DNAT', '0.5'];
const arg: fc.Arbitrary<Arg> = fc.record({
  flag: fc.constantFrom(...FLAGS),
  negated: fc.boolean(),
  values: fc.array(fc.constantFrom(...VALUES), { maxLength: 2 }),
});
const chains: fc.Arbitrary<Chain[]> = fc.array(
  fc.record({
    name: fc.constantFrom('X', 'Y', 'KUBE-SEP-SXIVWICOYRO3J4NJ', 'DNAT'),
    policy: fc.constant('-'),
    counters: fc.constant({ packets: 0, bytes: 0 }),
    rules: fc.array(fc.record({ args: fc.array(arg, { maxLength: 8 }) }), { maxLength: 4 }),
  }),
  { maxLength: 5 },
);

describe('TableFacts', () => {
  it('reads each rule as the plain scans do', () => {
    fc.assert(
      fc.property(chains, (list) => {
        const numbers = new ChainNumbers(list.length);
        const live: Chain[] = [];
        for (const c of list) if (numbers.add(c.name, live.length)) live.push(c);
        const facts = new TableFacts(live, numbers);
        let n = 0;
        live.forEach((chain, c) => {
          expect(facts.firstRule[c]).toBe(n);
          for (const rule of chain.rules) {
            const want = expected(rule);
            expect(facts.chainOf[n]).toBe(c);
            expect(facts.target[n]).toBe(want.target);
            expect(facts.targetChain[n]).toBe(want.target === undefined ? -1 : (numbers.get(want.target) ?? -1));
            expect(facts.bits[n]).toBe(want.bits);
            expect(facts.comment[n]).toBe(want.comment);
            expect(facts.protocol(n)).toBe(want.protocol);
            expect(facts.source[n]).toBe(want.source);
            expect(facts.toDestination[n]).toBe(want.toDestination);
            expect(facts.probabilityArg[n]).toBe(want.probabilityArg);
            expect(facts.probability[n]).toBe(want.probability);
            n++;
          }
        });
        expect(facts.size).toBe(n);
        // Who jumps where: each chain's referencing rules, in order.
        live.forEach((_, c) => {
          const refs: number[] = [];
          for (let r = facts.referenceHead[c] as number; r >= 0; r = facts.nextReference[r] as number) refs.push(r);
          const want = [...Array(n).keys()].filter((r) => facts.targetChain[r] === c);
          expect(refs).toEqual(want);
          expect(facts.referenceCount[c]).toBe(want.length);
        });
      }),
    );
  });
});
