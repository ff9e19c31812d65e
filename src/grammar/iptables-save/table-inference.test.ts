import { describe, expect, it } from 'vitest';
import type { Chain } from '../../ast/types.js';
import { inferTableWithReason } from './table-inference.js';

/** `NAME` for a built-in chain (it has a policy), `NAME-` for a user-defined one; `>TARGET` for a jump from it. */
function infer(...spec: string[][]): string {
  const chains: Chain[] = spec.map(([head = '', ...jumps]) => ({
    name: head.replace(/-$/, ''),
    policy: head.endsWith('-') ? '-' : 'ACCEPT',
    rules: jumps.map((j) => ({ args: [{ flag: j.startsWith('>>') ? '-g' : '-j', negated: false, values: [j.replace(/^>+/, '')] }] })),
  }));
  const r = inferTableWithReason({ chains });
  return `${r.table} (${r.reason})`;
}

describe('inferTableWithReason', () => {
  it('names the table whose built-in chains are listed, all of them or some only it has', () => {
    expect(infer(['INPUT'], ['FORWARD'], ['OUTPUT'])).toBe('filter (its built-in chains INPUT, FORWARD, OUTPUT)');
    expect(infer(['PREROUTING'], ['INPUT'], ['OUTPUT'], ['POSTROUTING'])).toBe('nat (its built-in chains PREROUTING, INPUT, OUTPUT, POSTROUTING)');
    expect(infer(['PREROUTING'], ['INPUT'], ['FORWARD'], ['OUTPUT'], ['POSTROUTING'])).toBe(
      'mangle (its built-in chains PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING)',
    );
    expect(infer(['PREROUTING'], ['OUTPUT'])).toBe('raw (its built-in chains PREROUTING, OUTPUT)');
    expect(infer(['FORWARD'], ['POSTROUTING'])).toBe('mangle (its built-in chains FORWARD, POSTROUTING)');
  });

  it('among the tables that have the built-in chains listed, decides by jumps and chain names', () => {
    // FORWARD is filter's or mangle's: a DNAT does not make it nat.
    expect(infer(['FORWARD', 'DNAT'])).toBe("filter (iptables' default table)");
    expect(infer(['PREROUTING', 'KUBE-SERVICES'])).toBe('nat (a jump to KUBE-SERVICES from PREROUTING)');
    expect(infer(['PREROUTING', 'CT'])).toBe('raw (a jump to CT)');
    expect(infer(['PREROUTING'])).toBe('nat (chain PREROUTING)');
    expect(infer(['POSTROUTING', 'KUBE-POSTROUTING'])).toBe('nat (a jump to KUBE-POSTROUTING)');
    expect(infer(['INPUT', 'KUBE-FIREWALL'], ['OUTPUT', 'KUBE-FIREWALL'])).toBe('filter (a jump to KUBE-FIREWALL from INPUT)');
    expect(infer(['INPUT', 'KUBE-NODEPORTS'])).toBe('filter (a jump to KUBE-NODEPORTS from INPUT)');
    expect(infer(['OUTPUT', 'KUBE-SERVICES'])).toBe("filter (iptables' default table)");
    expect(infer(['INPUT', 'ACCEPT'])).toBe('filter (a jump to ACCEPT)');
    expect(infer(['INPUT'])).toBe("filter (iptables' default table)");
  });

  it('reads kube-proxy chains and jumps only one table holds', () => {
    expect(infer(['KUBE-SVC-ABC-'])).toBe('nat (chain KUBE-SVC-ABC)');
    expect(infer(['X-', 'KUBE-MARK-MASQ'])).toBe('nat (a jump to KUBE-MARK-MASQ)');
    expect(infer(['X-', 'MASQUERADE'])).toBe('nat (a jump to MASQUERADE)');
    expect(infer(['KUBE-NODEPORTS-', 'KUBE-EXT-X'])).toBe('nat (a jump to KUBE-EXT-X)');
    expect(infer(['KUBE-SERVICES-', 'KUBE-NODEPORTS'])).toBe('nat (a jump to KUBE-NODEPORTS from KUBE-SERVICES)');
    expect(infer(['KUBE-SERVICES-', 'REJECT'])).toBe('filter (a jump to REJECT)');
    expect(infer(['KUBE-FORWARD-', 'DROP', 'ACCEPT'])).toBe('filter (chain KUBE-FORWARD)');
    expect(infer(['KUBE-IPTABLES-HINT-'])).toBe('mangle (chain KUBE-IPTABLES-HINT)');
    // A nat clue wins over a filter one wherever it stands.
    expect(infer(['KUBE-SERVICES-', 'REJECT', 'KUBE-SVC-X'])).toBe('nat (a jump to KUBE-SVC-X)');
    // KUBE-SERVICES and KUBE-NODEPORTS are in nat and in filter; the canaries in three tables.
    expect(infer(['KUBE-SERVICES-', 'KUBE-NODEPORTS-'])).toBe("filter (iptables' default table)");
    expect(infer(['KUBE-KUBELET-CANARY-'])).toBe("filter (iptables' default table)");
  });

  it("reads Docker's, Calico's and flannel's chains", () => {
    expect(infer(['DOCKER-ISOLATION-STAGE-1-'])).toBe('filter (chain DOCKER-ISOLATION-STAGE-1)');
    expect(infer(['cali-fw-cali1234-'])).toBe('filter (chain cali-fw-cali1234)');
    expect(infer(['FLANNEL-POSTRTG-'])).toBe('nat (chain FLANNEL-POSTRTG)');
    expect(infer(['X-', '>>cali-nat-outgoing'])).toBe('nat (a jump to cali-nat-outgoing)');
    // cali-OUTPUT is in raw, nat and filter.
    expect(infer(['cali-OUTPUT-'])).toBe("filter (iptables' default table)");
  });
});
