import type { Arg, Chain, Rule, SourcePos } from '../ast/types.js';
import { printArgs } from '../ast/print-iptables.js';
import type { Span } from './types.js';

/**
 * Where a finding about an AST node points. Nodes from a dump carry their position; nodes
 * without one (a rule set built in memory) point at the top of `file`.
 */

export function nodeAt(node: { pos?: SourcePos } | undefined, file: string): Span {
  const p = node?.pos;
  return p ? { file: p.file, line: p.line, column: p.column } : { file, line: 1, column: 1 };
}

/** A rule: from its first column to the end of its line. */
export function ruleAt(rule: Rule, file: string): Span {
  return nodeAt(rule, file);
}

/** A chain: its declaration line (`:NAME - [0:0]`, `Chain NAME (…)`). */
export function chainAt(chain: Chain, file: string): Span {
  return nodeAt(chain, file);
}

/**
 * One argument (`--probability 0.5000000000`, `! -s 10.0.0.0/8`): its own columns when it has a
 * position, else the rule's.
 */
export function argAt(arg: Arg | undefined, rule: Rule, file: string): Span {
  const at = ruleAt(rule, file);
  if (arg?.column === undefined || rule.pos === undefined) return at;
  const width = printArgs([arg]).length;
  return { file: at.file, line: at.line, column: arg.column, endLine: at.line, endColumn: arg.column + width };
}
