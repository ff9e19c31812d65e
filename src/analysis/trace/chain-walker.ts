import type { Chain, Rule, Table } from '../../ast/types.js';
import { pushAll } from '../push-all.js';
import { ruleLine } from '../../ast/print-iptables.js';
import { forkBranch, type Branch, type TraceStep } from './branch.js';
import { baseMatch } from './matches/base.js';
import { matchEvaluator } from './matches/index.js';
import { NO, type Hook, type MatchContext, type MatchVerdict, type TraceNote } from './match-context.js';
import { splitRule, type RuleParts } from './rule-parts.js';
import { ruleComment } from '../../ast/rule-view.js';
import { applyTarget, type EndVerdict } from './targets.js';

/** How the walk of one table for one hook ended. `NONE`: the built-in chain's policy ACCEPT. */
export type TableVerdict = EndVerdict | 'NONE';

export interface TableWalkResult {
  branch: Branch;
  verdict: TableVerdict;
}

/** A chain that jumps into itself (directly or not) would loop; iptables refuses it, dumps may not. */
const MAX_DEPTH = 64;

const partsCache = new WeakMap<Rule, RuleParts>();

function partsOf(rule: Rule): RuleParts {
  let p = partsCache.get(rule);
  if (!p) {
    p = splitRule(rule);
    partsCache.set(rule, p);
  }
  return p;
}

/** A table with its chains by name, built once per rule set. */
export class IndexedTable {
  readonly chains = new Map<string, Chain>();
  constructor(readonly table: Table) {
    for (const c of table.chains) this.chains.set(c.name, c);
  }
  get name(): string {
    return this.table.name;
  }
}

/** Whether the rule matches the packet, and how likely (a random split gives 0 < p < 1). */
export function evaluateRule(rule: Rule, ctx: MatchContext): MatchVerdict {
  const parts = partsOf(rule);
  let p = 1;
  const notes: TraceNote[] = [];
  const add = (v: MatchVerdict): boolean => {
    if (v.p === 0 && v.notes.length === 0) return false;
    p *= v.p;
    pushAll(notes, v.notes);
    return true;
  };
  for (const a of parts.base) if (!add(baseMatch(a, ctx))) return NO;
  for (const m of parts.modules) if (!add(matchEvaluator(m.name)(m.options, ctx))) return NO;
  for (const s of parts.stray) {
    add({ p: 0, notes: [{ kind: 'not-modelled', message: `option ${s.flag} (no loaded match module knows it): not modelled; assumed not to match` }] });
  }
  return { p, notes };
}

type ChainOutcome = { branch: Branch; kind: 'return' } | { branch: Branch; kind: 'end'; verdict: EndVerdict };

/**
 * Walks one table from a built-in chain, as the kernel does for one hook: rules in order, jumps and
 * gotos into user chains, RETURN, terminating targets. A random split forks the packet; every
 * branch is followed to its end, with its probability.
 */
export function walkTable(table: IndexedTable, builtin: string, hook: Hook, branch: Branch, makeCtx: (b: Branch) => MatchContext): TableWalkResult[] {
  const chain = table.chains.get(builtin);
  if (!chain) return [{ branch, verdict: 'NONE' }];
  const outcomes = runChain(table, chain, 0, branch, [builtin], hook, makeCtx);
  return outcomes.map((o) => {
    if (o.kind === 'end') return { branch: o.branch, verdict: o.verdict };
    const policy = chain.policy.toUpperCase();
    const verdict: TableVerdict = policy === 'DROP' ? 'DROP' : 'NONE';
    o.branch.steps.push({ hook, table: table.name, chain: builtin, rule: null, text: `:${builtin} ${chain.policy}`, action: `policy ${policy === '-' ? 'ACCEPT' : policy}` });
    return { branch: o.branch, verdict };
  });
}

function runChain(
  table: IndexedTable,
  chain: Chain,
  start: number,
  branch: Branch,
  stack: string[],
  hook: Hook,
  makeCtx: (b: Branch) => MatchContext,
): ChainOutcome[] {
  const results: ChainOutcome[] = [];
  let current = branch;
  for (let i = start; i < chain.rules.length; i++) {
    const rule = chain.rules[i] as Rule;
    const verdict = evaluateRule(rule, makeCtx(current));
    const at = `${table.name}/${chain.name}#${i + 1}`;
    addNotes(current, verdict.notes, at);
    if (verdict.p <= 0) continue;
    if (verdict.p >= 1) {
      const taken = takeRule(table, chain, i, rule, current, stack, hook, makeCtx, undefined);
      if (taken.done) {
        pushAll(results, taken.outcomes);
        return results;
      }
      current = taken.next;
      continue;
    }
    // A random split: one branch takes the rule, the other goes on with the next rule.
    const takenBranch = forkBranch(current, current.probability * verdict.p);
    const rest = forkBranch(current, current.probability * (1 - verdict.p));
    const taken = takeRule(table, chain, i, rule, takenBranch, stack, hook, makeCtx, verdict.p);
    if (taken.done) pushAll(results, taken.outcomes);
    else pushAll(results, runChain(table, chain, i + 1, taken.next, stack, hook, makeCtx));
    current = rest;
  }
  results.push({ branch: current, kind: 'return' });
  return results;
}

type Taken = { done: true; outcomes: ChainOutcome[] } | { done: false; next: Branch };

function takeRule(
  table: IndexedTable,
  chain: Chain,
  index: number,
  rule: Rule,
  branch: Branch,
  stack: string[],
  hook: Hook,
  makeCtx: (b: Branch) => MatchContext,
  probability: number | undefined,
): Taken {
  const parts = partsOf(rule);
  const effect = applyTarget(parts.target, branch, hook, table.name, (name) => table.chains.has(name));
  const step: TraceStep = { hook, table: table.name, chain: chain.name, rule: index + 1, text: ruleLine(chain.name, rule), action: effect.action };
  const comment = ruleComment(rule);
  if (comment !== undefined) step.comment = comment;
  if (probability !== undefined) step.probability = probability;
  if (rule.pos) step.source = `${rule.pos.file}:${rule.pos.line}`;
  branch.steps.push(step);
  const at = `${table.name}/${chain.name}#${index + 1}`;
  if ('note' in effect && effect.note) addNotes(branch, [effect.note], at);
  switch (effect.kind) {
    case 'continue':
      return { done: false, next: branch };
    case 'end':
      return { done: true, outcomes: [{ branch, kind: 'end', verdict: effect.verdict }] };
    case 'return':
      return { done: true, outcomes: [{ branch, kind: 'return' }] };
    case 'jump': {
      const target = table.chains.get(effect.chain) as Chain;
      if (effect.chain === 'KUBE-MARK-MASQ') branch.markedForMasquerade = true;
      if (stack.includes(effect.chain) || stack.length >= MAX_DEPTH) {
        addNotes(branch, [{ kind: 'not-modelled', message: `${effect.chain} is already being walked (a loop); the jump is ignored` }], at);
        return { done: false, next: branch };
      }
      const inner = runChain(table, target, 0, branch, [...stack, effect.chain], hook, makeCtx);
      if (effect.goto) {
        // A goto's RETURN goes back to the chain that called this one.
        return { done: true, outcomes: inner };
      }
      const outcomes: ChainOutcome[] = [];
      for (const o of inner) {
        if (o.kind === 'end') outcomes.push(o);
        else pushAll(outcomes, runChain(table, chain, index + 1, o.branch, stack, hook, makeCtx));
      }
      return { done: true, outcomes };
    }
  }
}

function addNotes(branch: Branch, notes: readonly TraceNote[], at: string): void {
  for (const n of notes) {
    if (branch.notes.some((x) => x.message === n.message && x.at === at)) continue;
    branch.notes.push({ ...n, at });
  }
}
