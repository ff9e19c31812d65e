import { describe, expect, it } from 'vitest';
import { printIptablesRestore } from '../../ast/print-iptables.js';
import { rule } from '../../ast/rule-builder.js';
import { addIpvsHooks } from './hooks.js';
import { TablesBuilder } from '../xtables/tables-builder.js';

describe('TablesBuilder keeping the write order', () => {
  const build = () => {
    const b = new TablesBuilder(['nat', 'filter'], { keepWriteOrder: true });
    b.declare('nat', 'B');
    b.declare('nat', 'A');
    b.add('nat', 'A', rule().jump('RETURN').build());
    b.add('nat', 'B', rule().opt('-s', '10.0.0.1').jump('A').build());
    b.add('nat', 'A', rule().jump('ACCEPT').build());
    b.declare('filter', 'F');
    return b.build('ipv4');
  };

  it('prints rules in the order they were added, chains interleaved, chain lines in declaration order', () => {
    expect(printIptablesRestore(build())).toBe(
      '*nat\n:B - [0:0]\n:A - [0:0]\n-A A -j RETURN\n-A B -s 10.0.0.1 -j A\n-A A -j ACCEPT\nCOMMIT\n*filter\n:F - [0:0]\nCOMMIT\n',
    );
  });

  it('prints a table without a write order chain by chain, and rules beyond the order after it', () => {
    const rs = build();
    const nat = rs.tables[0];
    if (!nat) throw new Error('no nat');
    expect(printIptablesRestore({ ...rs, tables: [{ ...nat, ruleOrder: undefined }] })).toBe(
      '*nat\n:B - [0:0]\n:A - [0:0]\n-A B -s 10.0.0.1 -j A\n-A A -j RETURN\n-A A -j ACCEPT\nCOMMIT\n',
    );
    expect(printIptablesRestore({ ...rs, tables: [{ ...nat, ruleOrder: ['A'] }] })).toBe(
      '*nat\n:B - [0:0]\n:A - [0:0]\n-A A -j RETURN\n-A B -s 10.0.0.1 -j A\n-A A -j ACCEPT\nCOMMIT\n',
    );
  });

  it('writes the hook jumps into the built-in chains before the payload rules', () => {
    const text = printIptablesRestore(addIpvsHooks(build()));
    expect(text).toBe(
      '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:B - [0:0]\n:A - [0:0]\n' +
        '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n' +
        '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n' +
        '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING\n' +
        '-A A -j RETURN\n-A B -s 10.0.0.1 -j A\n-A A -j ACCEPT\nCOMMIT\n' +
        '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:F - [0:0]\n' +
        '-A INPUT -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-FILTER\n' +
        '-A INPUT -m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL\n' +
        '-A INPUT -m comment --comment "kubernetes health check rules" -j KUBE-NODE-PORT\n' +
        '-A FORWARD -m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL\n' +
        '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD\n' +
        '-A OUTPUT -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-OUT-FILTER\n' +
        'COMMIT\n',
    );
  });
});
