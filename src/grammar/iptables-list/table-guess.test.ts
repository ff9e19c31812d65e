import { describe, expect, it } from 'vitest';
import { TableEvidence } from './table-guess.js';

function guess(chains: [string, boolean][], targets: string[] = []): string {
  const e = new TableEvidence();
  for (const [name, builtin] of chains) e.noteChain(name, builtin);
  for (const t of targets) e.noteTarget(t);
  const g = e.guess();
  return `${g.name} (${g.reason})`;
}

describe('TableEvidence', () => {
  it('tells the table by its built-in chains first', () => {
    expect(guess([['INPUT', true], ['FORWARD', true], ['OUTPUT', true]])).toBe('filter (its built-in chains)');
    expect(guess([['PREROUTING', true], ['INPUT', true], ['OUTPUT', true], ['POSTROUTING', true]])).toBe('nat (its built-in chains)');
    expect(guess([['PREROUTING', true], ['INPUT', true], ['FORWARD', true], ['OUTPUT', true], ['POSTROUTING', true]])).toBe(
      'mangle (its built-in chains)',
    );
    expect(guess([['PREROUTING', true], ['OUTPUT', true]])).toBe('raw (its built-in chains)');
    expect(guess([['FORWARD', true]], ['DNAT'])).toBe('filter (its built-in chains)');
  });

  it('then by targets and chain names only one table has', () => {
    expect(guess([['KUBE-SVC-ABC', false]])).toBe('nat (its chains and targets)');
    expect(guess([['X', false]], ['KUBE-MARK-MASQ'])).toBe('nat (its chains and targets)');
    expect(guess([['X', false]], ['MASQUERADE'])).toBe('nat (its chains and targets)');
    expect(guess([['OUTPUT', true]], ['CT'])).toBe('raw (its targets)');
    expect(guess([['KUBE-SERVICES', false]], ['REJECT'])).toBe('filter (its chains and targets)');
    expect(guess([['DOCKER-ISOLATION-STAGE-1', false]])).toBe('filter (its chains and targets)');
    expect(guess([['cali-fw-cali1234', false]])).toBe('filter (its chains and targets)');
  });

  it("falls back to iptables' default table", () => {
    expect(guess([['INPUT', true]])).toBe("filter (iptables' default table)");
    expect(guess([['KUBE-SERVICES', false]], ['KUBE-NODEPORTS'])).toBe("filter (iptables' default table)");
  });
});
