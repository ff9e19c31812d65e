import type { Chain, IpFamily, IptablesRuleSet, Rule, Table } from '../../ast/types.js';

/**
 * Collects an iptables-restore payload table by table, keeping the order rules are written in
 * across chains (kube-proxy's IPVS payload appends to several chains in turn), so the printer
 * writes the lines exactly in that order.
 */
export class OrderedTablesBuilder {
  private readonly tables = new Map<string, { chains: Map<string, Chain>; order: string[] }>();

  constructor(tableNames: readonly string[]) {
    for (const t of tableNames) this.tables.set(t, { chains: new Map(), order: [] });
  }

  private table(name: string) {
    const t = this.tables.get(name);
    if (!t) throw new Error(`unknown table ${name}`);
    return t;
  }

  /** Declares a chain (`:NAME - [0:0]`); declaring twice is harmless. */
  declare(table: string, chain: string): void {
    const t = this.table(table);
    if (!t.chains.has(chain)) t.chains.set(chain, { name: chain, policy: '-', counters: { packets: 0, bytes: 0 }, rules: [] });
  }

  add(table: string, chain: string, r: Rule): void {
    this.declare(table, chain);
    const t = this.table(table);
    t.chains.get(chain)?.rules.push(r);
    t.order.push(chain);
  }

  build(family: IpFamily): IptablesRuleSet {
    const tables: Table[] = [];
    for (const [name, t] of this.tables) {
      tables.push({ name, chains: [...t.chains.values()], deletedChains: [], committed: true, ruleOrder: [...t.order] });
    }
    return { kind: 'iptables', family, tables, origin: 'compiled', fidelity: 'exact' };
  }
}
