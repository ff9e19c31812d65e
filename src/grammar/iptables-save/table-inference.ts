import { builtinChains } from '../../ast/print-as-saved.js';
import type { Chain } from '../../ast/types.js';
import { kubeChainTable, kubeJumpTable } from '../../kube/chain-tables.js';

/**
 * The table of a text that does not name it: `iptables -S` and `iptables -L` print no table, and
 * a person pastes them without the `-t` they typed. Both readers infer it here, from the
 * chains and rules they read, as a reader of the text would:
 *
 * 1. the built-in chains (those with a policy), if they are exactly those of one table (filter
 *    INPUT FORWARD OUTPUT; nat PREROUTING INPUT OUTPUT POSTROUTING; mangle all five; raw
 *    PREROUTING OUTPUT) or, when only some are listed, of one table alone (FORWARD with
 *    POSTROUTING is mangle). Otherwise the tables that have all of them stay candidates, and
 *    the rest decides among those:
 * 2. nat, for a jump to DNAT, SNAT, MASQUERADE, REDIRECT or NETMAP, a chain or jump target only
 *    nat holds (kube-proxy's KUBE-SVC-…, KUBE-SEP-…, KUBE-MARK-MASQ, KUBE-POSTROUTING…, flannel's
 *    and Calico's NAT chains), or a jump only nat holds (PREROUTING → KUBE-SERVICES,
 *    KUBE-SERVICES → KUBE-NODEPORTS);
 * 3. raw, for a jump to CT or NOTRACK;
 * 4. filter, for a jump to REJECT or DROP, a chain or jump target only filter holds
 *    (KUBE-FORWARD, KUBE-EXTERNAL-SERVICES, DOCKER-USER, cali-fw-…), or a jump only filter
 *    holds (INPUT → KUBE-FIREWALL, INPUT → KUBE-NODEPORTS);
 * 5. mangle, for a chain only mangle holds (KUBE-IPTABLES-HINT);
 * 6. nat, for a PREROUTING or POSTROUTING chain;
 * 7. filter, for a jump to ACCEPT;
 * 8. filter, iptables' default table.
 *
 * Each answer comes with what it was inferred from, in words (`a jump to KUBE-SERVICES from
 * PREROUTING`), for the reader's note and for `Table.inferredFrom`.
 */
export function inferTable(table: TableContent): string {
  return inferTableWithReason(table).table;
}

/** What inference reads of a table: its chains, with their policies and rules. */
export interface TableContent {
  chains: readonly Chain[];
}

export interface InferredTable {
  table: string;
  /** What the table was inferred from, e.g. `a jump to KUBE-SVC-X`, `its built-in chains INPUT, OUTPUT`. */
  reason: string;
}

/** The inferred table and what it was inferred from. */
export function inferTableWithReason(table: TableContent): InferredTable {
  const builtins: string[] = [];
  for (const c of table.chains) if (c.policy !== '-' && !builtins.includes(c.name)) builtins.push(c.name);
  const byBuiltins = `its built-in chain${builtins.length === 1 ? '' : 's'} ${builtins.join(', ')}`;
  const exact = TABLES.find((t) => sameNames(builtinChains(t), builtins));
  if (exact !== undefined) return { table: exact, reason: byBuiltins };
  let candidates: readonly TableName[] = TABLES.filter((t) => builtins.every((b) => builtinChains(t).includes(b)));
  if (candidates.length === 0) candidates = TABLES;
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) return { table: only, reason: byBuiltins };

  const clues = new Clues(candidates);
  for (const chain of table.chains) {
    clues.chain(chain.name);
    for (const rule of chain.rules) {
      for (const a of rule.args) {
        if (JUMP_FLAGS.has(a.flag)) clues.jump(chain.name, a.values[0] ?? '');
      }
    }
    if (clues.settled()) break;
  }
  return clues.best() ?? { table: 'filter', reason: "iptables' default table" };
}

type TableName = 'filter' | 'nat' | 'mangle' | 'raw';

/** The tables inference chooses from (security is never guessed), the default first. */
const TABLES: readonly TableName[] = ['filter', 'nat', 'mangle', 'raw'];

/** Clue ranks, best first: a clue of a lower rank wins over any of a higher one. */
const RANKS = ['nat', 'raw', 'filter', 'mangle', 'nat-hook', 'filter-verdict'] as const;
type Rank = (typeof RANKS)[number];
const RANK_TABLE: Readonly<Record<Rank, TableName>> = {
  nat: 'nat',
  raw: 'raw',
  filter: 'filter',
  mangle: 'mangle',
  'nat-hook': 'nat',
  'filter-verdict': 'filter',
};

/** The first clue of each rank, among the candidate tables. */
class Clues {
  private readonly found = new Map<Rank, string>();

  constructor(private readonly candidates: readonly TableName[]) {}

  chain(name: string): void {
    const t = chainTable(name);
    if (t !== undefined) this.note(t, `chain ${name}`);
    else if (name === 'PREROUTING' || name === 'POSTROUTING') this.note('nat-hook', `chain ${name}`);
  }

  jump(from: string, target: string): void {
    const kube = kubeJumpTable(from, target);
    if (kube !== undefined) return this.note(kube, `a jump to ${target} from ${from}`);
    const t = TARGET_TABLES.get(target) ?? chainTable(target);
    if (t !== undefined) this.note(t, `a jump to ${target}`);
  }

  /** Whether no later clue can change the answer: the best rank is found. */
  settled(): boolean {
    return this.found.has('nat') && this.candidates.includes('nat');
  }

  best(): InferredTable | undefined {
    for (const rank of RANKS) {
      const reason = this.found.get(rank);
      if (reason !== undefined) return { table: RANK_TABLE[rank], reason };
    }
    return undefined;
  }

  private note(rank: Rank, reason: string): void {
    if (!this.found.has(rank) && this.candidates.includes(RANK_TABLE[rank])) this.found.set(rank, reason);
  }
}

const JUMP_FLAGS: ReadonlySet<string> = new Set(['-j', '--jump', '-g', '--goto']);

/** Targets only one table takes (nat refuses DROP), and ACCEPT, most often filter's. */
const TARGET_TABLES: ReadonlyMap<string, Rank> = new Map<string, Rank>([
  ['DNAT', 'nat'],
  ['SNAT', 'nat'],
  ['MASQUERADE', 'nat'],
  ['REDIRECT', 'nat'],
  ['NETMAP', 'nat'],
  ['CT', 'raw'],
  ['NOTRACK', 'raw'],
  ['REJECT', 'filter'],
  ['DROP', 'filter'],
  ['ACCEPT', 'filter-verdict'],
]);

/** Chains of flannel, Calico and Docker that only one table holds. */
const OTHER_NAT_CHAINS = /^(FLANNEL-POSTRTG|cali-nat-outgoing|cali-fip-[ds]nat)$/;
const OTHER_FILTER_CHAINS = /^(DOCKER-USER$|DOCKER-ISOLATION-|FLANNEL-FWD$|cali-(FORWARD$|INPUT$|fw-|tw-|from-wl-dispatch|to-wl-dispatch|wl-to-host))/;

function chainTable(name: string): Rank | undefined {
  const kube = kubeChainTable(name);
  if (kube !== undefined) return kube;
  if (OTHER_NAT_CHAINS.test(name)) return 'nat';
  if (OTHER_FILTER_CHAINS.test(name)) return 'filter';
  return undefined;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((n) => b.includes(n));
}
