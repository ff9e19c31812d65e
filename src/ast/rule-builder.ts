import type { Arg, Rule } from './types.js';
import { kubeChainKind } from '../kube/chain-kind.js';

/**
 * The calls that describe one iptables rule, word by word in the order they are made. Compiler
 * backends describe rules with them and never write rule text themselves; what the words
 * become (an AST rule, or restore text straight away) is the receiver's business.
 */
export interface RuleWords {
  /** Any option, e.g. `opt('--dport', '80')` or `opt('--set')`. */
  opt(flag: string, value?: string): this;
  /** A negated option, `! flag value`. */
  not(flag: string, value?: string): this;
  /** `-m NAME`: loads a match module. */
  match(name: string): this;
  /** `-m comment --comment TEXT`. */
  comment(text: string): this;
  /** `-m P -p P`, kube-proxy's way of naming the protocol. */
  protocol(proto: string): this;
  /** `-j TARGET` and the target's option, if any. */
  jump(target: string, targetArg?: Arg): this;
  /** Appends arguments built once and shared between rules (see `commentArgs`). */
  with(args: readonly Arg[]): this;
}

/** Builds the argument list of one iptables rule: the AST form of `RuleWords`. */
export class RuleBuilder implements RuleWords {
  private readonly args: Arg[] = [];

  /** Any option, e.g. `opt('--dport', '80')`, `opt('--set')` or `opt('--match-set', NAME, 'dst,dst')`. */
  opt(flag: string, value?: string, ...more: string[]): this {
    const values = value === undefined ? [] : [value, ...more];
    this.args.push(SHARED_FLAGS.has(flag) ? shared(flag, values) : { flag, negated: false, values });
    return this;
  }

  /** A negated option, `! flag value`. */
  not(flag: string, value?: string): this {
    this.args.push({ flag, negated: true, values: value === undefined ? [] : [value] });
    return this;
  }

  /** `-m NAME`: loads a match module. */
  match(name: string): this {
    return this.opt('-m', name);
  }

  /** `-m comment --comment TEXT`. */
  comment(text: string): this {
    return this.match('comment').opt('--comment', text);
  }

  /** `-m P -p P`, kube-proxy's way of naming the protocol. */
  protocol(proto: string): this {
    return this.match(proto).opt('-p', proto);
  }

  jump(target: string, targetArg?: Arg): this {
    const arg = kubeChainKind(target) !== undefined ? { flag: '-j', negated: false, values: [target] } : shared('-j', [target]);
    this.args.push(arg);
    if (targetArg !== undefined) this.args.push(targetArg);
    return this;
  }

  /** Appends arguments built once and shared between rules (see `commentArgs`). */
  with(args: readonly Arg[]): this {
    this.args.push(...args);
    return this;
  }

  /**
   * The rule; the builder must not be used afterwards. Its argument list is copied at its exact
   * length: an array grown by `push` keeps spare room for a dozen more elements, which a large
   * cluster's hundreds of thousands of rules would carry for as long as the rule set lives.
   */
  build(): Rule {
    return { args: this.args.slice() };
  }
}

/**
 * Options whose values come from a small fixed vocabulary (module names, protocols, targets…).
 * Their Arg nodes are shared between rules: a large cluster has hundreds of thousands of rules,
 * and compiled rule sets are never mutated.
 */
const SHARED_FLAGS = new Set(['-m', '-p', '-j', '--mode', '--probability', '--dst-type', '--src-type', '--ctstate', '--set', '--rcheck', '--reap', '--random-fully']);
const sharedArgs = new Map<string, Map<string, Arg>>();
const NO_VALUE = '\u0000';

function shared(flag: string, values: string[]): Arg {
  if (values.length > 1) return { flag, negated: false, values };
  let byValue = sharedArgs.get(flag);
  if (!byValue) {
    byValue = new Map();
    sharedArgs.set(flag, byValue);
  }
  const key = values[0] ?? NO_VALUE;
  let arg = byValue.get(key);
  if (!arg) {
    if (byValue.size > 1000) byValue.clear();
    arg = Object.freeze({ flag, negated: false, values: Object.freeze([...values]) as string[] });
    byValue.set(key, arg);
  }
  return arg;
}

/** `-m comment --comment TEXT` as two arguments, to share between the rules of one service port. */
export function commentArgs(text: string): Arg[] {
  return [shared('-m', ['comment']), { flag: '--comment', negated: false, values: [text] }];
}

export function rule(): RuleBuilder {
  return new RuleBuilder();
}
