/**
 * `iptables -L` does not print the table it lists. When no pasted command line says `-t T`,
 * the table is inferred from what the listing shows: its built-in chains first (nat has
 * PREROUTING/INPUT/OUTPUT/POSTROUTING, filter INPUT/FORWARD/OUTPUT, mangle all five, raw
 * PREROUTING/OUTPUT), then targets and chain names only one table uses, then iptables' own
 * default, `filter`.
 */

/** What a listing shows that tells its table, gathered chain by chain and row by row. */
export class TableEvidence {
  /** Built-in chains listed (those printed with a policy). */
  readonly builtins = new Set<string>();
  private nat = false;
  private raw = false;
  private filter = false;

  /** A chain listed, or a target jumped to: names only one table uses. */
  noteName(name: string): void {
    if (!this.nat && NAT_CHAINS.test(name)) this.nat = true;
    if (!this.filter && FILTER_CHAINS.test(name)) this.filter = true;
  }

  noteChain(name: string, builtin: boolean): void {
    if (builtin) this.builtins.add(name);
    else this.noteName(name);
  }

  noteTarget(target: string): void {
    if (NAT_TARGETS.has(target)) this.nat = true;
    else if (RAW_TARGETS.has(target)) this.raw = true;
    else if (FILTER_TARGETS.has(target)) this.filter = true;
    else this.noteName(target);
  }

  guess(): TableGuess {
    const b = this.builtins;
    if (b.has('FORWARD') && (b.has('PREROUTING') || b.has('POSTROUTING'))) return { name: 'mangle', reason: 'its built-in chains' };
    if (b.has('POSTROUTING') || (b.has('PREROUTING') && b.has('INPUT'))) return { name: 'nat', reason: 'its built-in chains' };
    if (b.has('FORWARD')) return { name: 'filter', reason: 'its built-in chains' };
    if (b.has('PREROUTING') && b.has('OUTPUT')) return { name: 'raw', reason: 'its built-in chains' };
    if (this.nat) return { name: 'nat', reason: 'its chains and targets' };
    if (this.raw) return { name: 'raw', reason: 'its targets' };
    if (this.filter) return { name: 'filter', reason: 'its chains and targets' };
    return { name: 'filter', reason: "iptables' default table" };
  }
}

export interface TableGuess {
  name: string;
  /** Why, in words, for the note diagnostic. */
  reason: string;
}

const NAT_TARGETS: ReadonlySet<string> = new Set(['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP']);
const RAW_TARGETS: ReadonlySet<string> = new Set(['CT', 'NOTRACK']);
const FILTER_TARGETS: ReadonlySet<string> = new Set(['REJECT']);
const NAT_CHAINS = /^(KUBE-(SVC|SEP|EXT|FW|SVL|XLB|MARK-MASQ|POSTROUTING)(-|$)|FLANNEL-POSTRTG$|cali-nat-outgoing$|cali-fip-[ds]nat$)/;
const FILTER_CHAINS =
  /^(DOCKER-USER$|DOCKER-ISOLATION-|KUBE-(FORWARD|FIREWALL|PROXY-FIREWALL|EXTERNAL-SERVICES|KUBELET-CANARY)$|FLANNEL-FWD$|cali-(FORWARD|INPUT|OUTPUT|fw-|tw-|from-wl-dispatch|to-wl-dispatch|wl-to-host))/;
