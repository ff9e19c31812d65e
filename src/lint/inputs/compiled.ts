import type { Arg, Chain, IptablesRuleSet, Rule, Table } from '../../ast/types.js';
import { printArgs, printIptablesRestore, ruleLine } from '../../ast/print-iptables.js';

/**
 * Gives a rule set built in memory (compiled output) the positions its nodes have in its printed
 * iptables-restore text, so findings on it point at lines and columns of that text. Returns a
 * positioned copy and the text.
 */
export function withPrintedPositions(ruleSet: IptablesRuleSet, file: string): { ruleSet: IptablesRuleSet; text: string } {
  let line = 0;
  const tables: Table[] = ruleSet.tables.map((t) => {
    const tablePos = { file, line: ++line, column: 1 };
    const chains: Chain[] = t.chains.map((c) => ({ ...c, pos: { file, line: ++line, column: 1 } }));
    const positioned: Chain[] = chains.map((c) => ({
      ...c,
      rules: c.rules.map((r) => positionRule(c.name, r, file, ++line)),
    }));
    line += t.deletedChains.length + 1;
    return { ...t, chains: positioned, pos: tablePos };
  });
  const out: IptablesRuleSet = { ...ruleSet, tables, pos: { file, line: 1, column: 1 } };
  return { ruleSet: out, text: printIptablesRestore(ruleSet) };
}

function positionRule(chain: string, rule: Rule, file: string, line: number): Rule {
  const head = ruleLine(chain, { ...rule, args: [] });
  let column = head.length + 2;
  const args: Arg[] = rule.args.map((a) => {
    const positioned = { ...a, column };
    column += printArgs([a]).length + 1;
    return positioned;
  });
  return { ...rule, args, pos: { file, line, column: 1 } };
}
