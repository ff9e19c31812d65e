import type { RuleWords } from '../../ast/rule-builder.js';

/** One rule being written at the end of a chain: its words, then `add()`. */
export interface ChainRule extends RuleWords {
  /** Ends the rule and appends it to its chain. */
  add(): void;
}

/**
 * What a backend writes the rule set it decides into. `TablesBuilder` builds the AST every
 * analysis reads; `RestoreTextWriter` writes `iptables-restore` text straight away, for a large
 * cluster compiled to a file. Rules are written one at a time: each is added before the next
 * one starts.
 */
export interface IptablesSink {
  /** Starts a rule at the end of `chain` in `table`, declaring the chain if needed. */
  rule(table: string, chain: string): ChainRule;
  /** Declares a chain (`:NAME - [0:0]`); declaring twice is harmless. */
  declare(table: string, chain: string): void;
  isDeclared(table: string, chain: string): boolean;
  /** Declares a chain and deletes it (`-X`), as kube-proxy does with stale chains. */
  deleteChain(table: string, chain: string): void;
}
