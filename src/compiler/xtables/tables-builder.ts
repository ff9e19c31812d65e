import type { Chain, IpFamily, IptablesRuleSet, Rule, Table } from '../../ast/types.js';
import { ZERO_COUNTERS } from '../../ast/zero-counters.js';
import { RuleBuilder } from '../../ast/rule-builder.js';
import type { ChainRule, IptablesSink } from './rule-sink.js';

/**
 * Collects chains and rules per table while a backend decides them. With `keepWriteOrder` it also
 * records the order rules are written in across chains (kube-proxy's IPVS payload appends to
 * several chains in turn), so the printer writes the lines exactly in that order.
 */
export class TablesBuilder implements IptablesSink {
  private readonly tables = new Map<string, { chains: Map<string, Chain>; deleted: string[]; order: string[] }>();

  constructor(
    tableNames: readonly string[],
    private readonly options: { keepWriteOrder?: boolean } = {},
  ) {
    for (const t of tableNames) this.tables.set(t, { chains: new Map(), deleted: [], order: [] });
  }

  private table(name: string) {
    const t = this.tables.get(name);
    if (!t) throw new Error(`unknown table ${name}`);
    return t;
  }

  rule(table: string, chain: string): ChainRule {
    return new ChainRuleBuilder(this, table, chain);
  }

  /** Declares a chain (`:NAME - [0:0]`); declaring twice is harmless. */
  declare(table: string, chain: string): void {
    const t = this.table(table);
    if (!t.chains.has(chain)) t.chains.set(chain, { name: chain, policy: '-', counters: ZERO_COUNTERS, rules: [] });
  }

  isDeclared(table: string, chain: string): boolean {
    return this.table(table).chains.has(chain);
  }

  /** The chain the last rule went to: a backend writes a chain's rules one after another. */
  private lastTable = '';
  private lastName = '';
  private lastChain: Chain | undefined;

  add(table: string, chain: string, r: Rule): void {
    if (this.options.keepWriteOrder) this.table(table).order.push(chain);
    let c = this.lastChain;
    if (c === undefined || chain !== this.lastName || table !== this.lastTable) {
      const chains = this.table(table).chains;
      c = chains.get(chain);
      if (!c) {
        c = { name: chain, policy: '-', counters: ZERO_COUNTERS, rules: [] };
        chains.set(chain, c);
      }
      this.lastTable = table;
      this.lastName = chain;
      this.lastChain = c;
    }
    c.rules.push(r);
  }

  /** Declares a chain and deletes it (`-X`), as kube-proxy does with stale chains. */
  deleteChain(table: string, chain: string): void {
    this.declare(table, chain);
    this.table(table).deleted.push(chain);
  }

  build(family: IpFamily): IptablesRuleSet {
    const tables: Table[] = [];
    for (const [name, t] of this.tables) {
      const table: Table = { name, chains: [...t.chains.values()], deletedChains: [...t.deleted], committed: true };
      if (this.options.keepWriteOrder) table.ruleOrder = [...t.order];
      tables.push(table);
    }
    return { kind: 'iptables', family, tables, origin: 'compiled', fidelity: 'exact' };
  }
}

/** A rule built as AST and appended to its chain when it is added. */
class ChainRuleBuilder extends RuleBuilder implements ChainRule {
  constructor(
    private readonly owner: TablesBuilder,
    private readonly table: string,
    private readonly chain: string,
  ) {
    super();
  }

  add(): void {
    this.owner.add(this.table, this.chain, this.build());
  }
}
