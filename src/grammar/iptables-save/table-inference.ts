import type { Table } from '../../ast/types.js';

/**
 * `iptables -S` does not print which table it lists. When the caller does not say, the table
 * is inferred from what the listing holds, in this order:
 *
 * 1. the built-in chains whose policies it prints (`-P` lines), if they are exactly those of
 *    one table: filter INPUT/FORWARD/OUTPUT; nat PREROUTING/INPUT/OUTPUT/POSTROUTING; mangle
 *    all five; raw PREROUTING/OUTPUT;
 * 2. nat, if a rule jumps to DNAT, SNAT, MASQUERADE, REDIRECT or NETMAP, or a chain or a jump
 *    target is one kube-proxy only keeps in nat (KUBE-SVC-*, KUBE-SVL-*, KUBE-SEP-*, KUBE-EXT-*,
 *    KUBE-FW-*, KUBE-XLB-*, KUBE-MARK-MASQ, KUBE-POSTROUTING, KUBE-LOAD-BALANCER);
 * 3. raw, if a rule jumps to CT or NOTRACK;
 * 4. nat, if a chain is PREROUTING or POSTROUTING;
 * 5. filter.
 */
export function inferTable(table: Table): string {
  return inferTableWithReason(table).table;
}

/** The inferred table and, for a note to the user, what it was inferred from. */
export function inferTableWithReason(table: Table): { table: string; reason: string } {
  const policies = table.chains.filter((c) => c.policy !== '-').map((c) => c.name);
  const byPolicies = tableOfBuiltins(policies);
  if (byPolicies !== undefined) return { table: byPolicies, reason: `its built-in chains ${policies.join(', ')}` };
  let raw: string | undefined;
  let natHook: string | undefined;
  for (const chain of table.chains) {
    if (isNatChain(chain.name)) return { table: 'nat', reason: `chain ${chain.name}` };
    if (natHook === undefined && (chain.name === 'PREROUTING' || chain.name === 'POSTROUTING')) natHook = chain.name;
    for (const rule of chain.rules) {
      for (const a of rule.args) {
        if (a.flag !== '-j' && a.flag !== '--jump' && a.flag !== '-g' && a.flag !== '--goto') continue;
        const target = a.values[0] ?? '';
        if (NAT_TARGETS.has(target) || isNatChain(target)) return { table: 'nat', reason: `a jump to ${target}` };
        if (raw === undefined && (target === 'CT' || target === 'NOTRACK')) raw = target;
      }
    }
  }
  if (raw !== undefined) return { table: 'raw', reason: `a jump to ${raw}` };
  if (natHook !== undefined) return { table: 'nat', reason: `chain ${natHook}` };
  return { table: 'filter', reason: 'nothing that names another table' };
}

const NAT_TARGETS: ReadonlySet<string> = new Set(['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP']);
const NAT_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-SEP-', 'KUBE-EXT-', 'KUBE-FW-', 'KUBE-XLB-'];
const NAT_CHAINS: ReadonlySet<string> = new Set(['KUBE-MARK-MASQ', 'KUBE-POSTROUTING', 'KUBE-LOAD-BALANCER']);

function isNatChain(name: string): boolean {
  return NAT_CHAINS.has(name) || NAT_CHAIN_PREFIXES.some((p) => name.startsWith(p));
}

/** The built-in chains of each table iptables has, sorted by name. */
const BUILTINS_BY_TABLE: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['filter', ['FORWARD', 'INPUT', 'OUTPUT']],
  ['nat', ['INPUT', 'OUTPUT', 'POSTROUTING', 'PREROUTING']],
  ['mangle', ['FORWARD', 'INPUT', 'OUTPUT', 'POSTROUTING', 'PREROUTING']],
  ['raw', ['OUTPUT', 'PREROUTING']],
  ['security', ['FORWARD', 'INPUT', 'OUTPUT']],
];

/** The built-in chains of a table, or undefined for a name iptables has no table for. */
export function builtinChainsOf(table: string): readonly string[] | undefined {
  return BUILTINS_BY_TABLE.find(([t]) => t === table)?.[1];
}

function tableOfBuiltins(names: readonly string[]): string | undefined {
  const key = [...new Set(names)].sort().join(',');
  for (const [table, builtins] of BUILTINS_BY_TABLE) if (builtins.join(',') === key) return table;
  return undefined;
}
