import type { Arg, Rule } from './types.js';

/**
 * Builds the argument list of one iptables rule in the order the calls are made. Compiler
 * backends describe rules with it; they never write rule text themselves.
 */
export class RuleBuilder {
  private readonly args: Arg[] = [];

  /** Any option, e.g. `opt('--dport', '80')` or `opt('--set')`. */
  opt(flag: string, ...values: string[]): this {
    this.args.push({ flag, negated: false, values });
    return this;
  }

  /** A negated option, `! flag values`. */
  not(flag: string, ...values: string[]): this {
    this.args.push({ flag, negated: true, values });
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

  jump(target: string, ...targetArgs: Arg[]): this {
    this.args.push({ flag: '-j', negated: false, values: [target] }, ...targetArgs);
    return this;
  }

  build(): Rule {
    return { args: [...this.args] };
  }
}

export function rule(): RuleBuilder {
  return new RuleBuilder();
}
