import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canRunKernel, inNamespace } from '../../../test/support/kernel.js';
import { canonicalizeIptables } from '../../ast/canonical-order.js';
import { printIptablesRestore, printIptablesRules } from '../../ast/print-iptables.js';
import type { IptablesRuleSet } from '../../ast/types.js';
import { parseIptablesRules, parseIptablesSave } from './parse.js';

const DIR = join(import.meta.dirname, '../../../test/fixtures/dumps/iptables');

/** What the kernel keeps of a rule set: per table, per chain by name, policy, counters and rules. */
function state(rs: IptablesRuleSet): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const t of rs.tables) {
    const chains: Record<string, unknown> = {};
    for (const c of t.chains) {
      chains[c.name] = {
        policy: c.policy,
        counters: c.counters,
        rules: c.rules.map((r) => ({ counters: r.counters, args: r.args.map((a) => ({ flag: a.flag, negated: a.negated, values: a.values })) })),
      };
    }
    out[t.name] = chains;
  }
  return out;
}

const SETUP = [
  'ipset create cali40all-hosts-net hash:net',
  'ipset create cali40masq-ipam-pools hash:net',
  'ipset create cali40all-ipam-pools hash:net',
  'nfacct add ct_state_invalid_dropped_pkts >/dev/null',
].join(' && ');

describe.skipIf(!canRunKernel('iptables-restore', 'iptables-save', 'ip6tables-restore', 'ipset', 'nfacct'))('kernel round trip', () => {
  it('kube-node.save: parse, print canonically, load with counters, save again: the same rules, policies and counters', () => {
    const original = parseIptablesSave(readFileSync(join(DIR, 'kube-node.save'), 'utf8'), 'kube-node.save').ruleSets[0] as IptablesRuleSet;
    const text = printIptablesRestore(canonicalizeIptables(original), { ruleCounters: true });
    const r = inNamespace(`${SETUP} && iptables-restore -c && iptables-save -c`, text);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const back = parseIptablesSave(r.stdout, 'kernel');
    expect(back.diagnostics).toEqual([]);
    expect(state(back.ruleSets[0] as IptablesRuleSet)).toEqual(state(canonicalizeIptables(original)));
  });

  it('iptables -S of the loaded kube-node.save reads back as the same nat table', () => {
    const original = parseIptablesSave(readFileSync(join(DIR, 'kube-node.save'), 'utf8'), 'kube-node.save').ruleSets[0] as IptablesRuleSet;
    const text = printIptablesRestore(original, { ruleCounters: true });
    const r = inNamespace(`${SETUP} && iptables-restore -c && iptables -t nat -S`, text);
    expect(r.status).toBe(0);
    const listed = parseIptablesRules(r.stdout, 'kernel').ruleSets[0] as IptablesRuleSet;
    expect(listed.tables.map((t) => t.name)).toEqual(['nat']);
    const noCounters = (s: Record<string, Record<string, unknown>>) => JSON.parse(JSON.stringify(s, (k, v) => (k === 'counters' ? undefined : v)));
    const nat = { ...original, tables: original.tables.filter((t) => t.name === 'nat') };
    expect(noCounters(state(listed))).toEqual(noCounters(state(nat)));
    // Printed as iptables -S, the same rules read back the same way.
    const reprinted = parseIptablesRules(printIptablesRules(nat), 'printed').ruleSets[0] as IptablesRuleSet;
    expect(noCounters(state(reprinted))).toEqual(noCounters(state(nat)));
  });

  it('ipv6-node.save through ip6tables-restore and ip6tables-save', () => {
    const original = parseIptablesSave(readFileSync(join(DIR, 'ipv6-node.save'), 'utf8'), 'ipv6-node.save').ruleSets[0] as IptablesRuleSet;
    const r = inNamespace('ip6tables-restore && ip6tables-save', printIptablesRestore(canonicalizeIptables(original)));
    expect(r.status).toBe(0);
    const back = parseIptablesSave(r.stdout, 'kernel').ruleSets[0] as IptablesRuleSet;
    expect(back.family).toBe('ipv6');
    const noCounters = (s: Record<string, Record<string, unknown>>) => JSON.parse(JSON.stringify(s, (k, v) => (k === 'counters' ? undefined : v)));
    expect(noCounters(state(back))).toEqual(noCounters(state(original)));
  });

  it('odd-comments.save: quotes, escapes and unicode come back from the kernel as they were read', () => {
    const original = parseIptablesSave(readFileSync(join(DIR, 'odd-comments.save'), 'utf8'), 'odd.save').ruleSets[0] as IptablesRuleSet;
    const r = inNamespace('ipset create blocklist hash:ip && iptables-restore && iptables-save', printIptablesRestore(original));
    expect(r.stderr).toBe('');
    const back = parseIptablesSave(r.stdout, 'kernel').ruleSets[0] as IptablesRuleSet;
    const comments = (rs: IptablesRuleSet) => rs.tables.flatMap((t) => t.chains.flatMap((c) => c.rules.flatMap((x) => x.args.filter((a) => a.flag === '--comment').map((a) => a.values[0]))));
    expect(comments(back)).toEqual(comments(original));
  });
});
