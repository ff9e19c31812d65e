import type { Arg, Chain, Rule } from '../../ast/types.js';
import type { ChainNumbers } from './chain-numbers.js';

/**
 * What the rules of a table's live chains plainly say, read in one pass over their arguments
 * into flat arrays indexed by rule number (rules are numbered across the table, chain by chain
 * in table order). A 400,000-line dump holds over 300,000 rules: the pass builds no rule views
 * and no per-rule objects, and every lint rule reads the same arrays instead of scanning the
 * arguments again. The spellings are iptables' own (short and long).
 */

/** `bits` of a rule whose target is written with `-g`/`--goto`. */
export const GOTO = 1;
/** `bits` of a rule with `--rcheck` or `--update` (session affinity of the recent match). */
export const AFFINITY = 2;
/** `bits` of a rule with `--every` or `--packet` (the statistic match's nth mode). */
export const NTH = 4;
/** `bits` of a rule whose last `--mode` has a value, and of one where that value is `random`. */
export const MODE = 8;
export const RANDOM = 16;

export class TableFacts {
  /** Per chain, and one past the last: the number of its first rule. */
  readonly firstRule: Int32Array;
  /** Per rule: its chain's number. */
  readonly chainOf: Int32Array;
  /** Per rule: the name after the last `-j`/`-g` written (as iptables takes it), if any. */
  readonly target: (string | undefined)[];
  /** Per rule: the number of the chain the target names, or -1 (a verdict, an extension, a dangling name). */
  readonly targetChain: Int32Array;
  /** Per rule: GOTO, AFFINITY, NTH, MODE and RANDOM. */
  readonly bits: Uint8Array;
  /** Per rule: the first `--comment` text. */
  readonly comment: (string | undefined)[];
  /** Per rule: its protocol's number in `protocols` plus one (0 for none); see `protocol`. */
  private readonly protocolCode: Int32Array;
  /** The protocols the rules name, each once. */
  private readonly protocols: string[] = [];
  private readonly protocolCodes = new Map<string, number>();
  /** Per rule: the first `-s` written before the first target and not negated. */
  readonly source: (string | undefined)[];
  /** Per rule: the first `--to-destination` (`--to`) written after the first target. */
  readonly toDestination: (string | undefined)[];
  /** Per rule: the position of the last `--probability` in `rule.args` (-1 for none) and its value. */
  readonly probabilityArg: Int32Array;
  readonly probability: (string | undefined)[];
  /** Per chain: the first rule that jumps or goes to it (-1 for none) and how many do. */
  readonly referenceHead: Int32Array;
  readonly referenceCount: Int32Array;
  /** Per rule: the next rule that jumps or goes to the same chain, or -1. */
  readonly nextReference: Int32Array;

  constructor(chains: readonly Chain[], ordinal: ChainNumbers) {
    let total = 0;
    for (let c = 0; c < chains.length; c++) total += (chains[c] as Chain).rules.length;
    this.firstRule = new Int32Array(chains.length + 1);
    this.chainOf = new Int32Array(total);
    this.target = new Array<string | undefined>(total).fill(undefined);
    this.targetChain = new Int32Array(total).fill(-1);
    this.bits = new Uint8Array(total);
    this.comment = new Array<string | undefined>(total).fill(undefined);
    this.protocolCode = new Int32Array(total);
    this.source = new Array<string | undefined>(total).fill(undefined);
    this.toDestination = new Array<string | undefined>(total).fill(undefined);
    this.probabilityArg = new Int32Array(total).fill(-1);
    this.probability = new Array<string | undefined>(total).fill(undefined);
    this.referenceHead = new Int32Array(chains.length).fill(-1);
    this.referenceCount = new Int32Array(chains.length);
    this.nextReference = new Int32Array(total).fill(-1);

    // Each chain's list of referencing rules is appended at its tail, so it is in table order.
    const tails = new Int32Array(chains.length);
    let n = 0;
    for (let c = 0; c < chains.length; c++) {
      this.firstRule[c] = n;
      const rules = (chains[c] as Chain).rules;
      for (let i = 0; i < rules.length; i++, n++) {
        this.chainOf[n] = c;
        this.read((rules[i] as Rule).args, n);
        const t = this.target[n];
        if (t === undefined) continue;
        const o = ordinal.get(t);
        if (o === undefined) continue;
        this.targetChain[n] = o;
        if (this.referenceHead[o] === -1) this.referenceHead[o] = n;
        else this.nextReference[tails[o] as number] = n;
        tails[o] = n;
        this.referenceCount[o] = (this.referenceCount[o] as number) + 1;
      }
    }
    this.firstRule[chains.length] = n;
  }

  /** Reads the arguments of rule `n`. */
  private read(args: readonly Arg[], n: number): void {
    let target = -1;
    let goto = false;
    let bits = 0;
    let comment: string | undefined;
    let protocol: Arg | undefined;
    let source: string | undefined;
    let toDestination: string | undefined;
    let probability = -1;
    let mode: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as Arg;
      const f = a.flag;
      const beforeTarget = target < 0;
      // Dispatch on the length first: most arguments are none of these.
      switch (f.length) {
        case 2:
          if (f === '-j' || f === '-g') {
            target = i;
            goto = f === '-g';
          } else if (f === '-p') {
            if (beforeTarget && protocol === undefined && namesProtocol(a)) protocol = a;
          } else if (f === '-s') {
            if (beforeTarget && source === undefined && !a.negated) source = a.values[0];
          }
          break;
        case 4:
          if (f === '--to' && !beforeTarget && toDestination === undefined) toDestination = a.values[0];
          break;
        case 5:
          if (f === '--src' && beforeTarget && source === undefined && !a.negated) source = a.values[0];
          break;
        case 6:
          if (f === '--jump' || f === '--goto') {
            target = i;
            goto = f === '--goto';
          } else if (f === '--mode') mode = a.values[0];
          break;
        case 7:
          if (f === '--every') bits |= NTH;
          break;
        case 8:
          if (f === '--source') {
            if (beforeTarget && source === undefined && !a.negated) source = a.values[0];
          } else if (f === '--rcheck' || f === '--update') bits |= AFFINITY;
          else if (f === '--packet') bits |= NTH;
          break;
        case 9:
          if (f === '--comment' && comment === undefined) comment = a.values[0];
          break;
        case 10:
          if (f === '--protocol' && beforeTarget && protocol === undefined && namesProtocol(a)) protocol = a;
          break;
        case 13:
          if (f === '--probability') probability = i;
          break;
        case 16:
          if (f === '--to-destination' && !beforeTarget && toDestination === undefined) toDestination = a.values[0];
          break;
      }
    }
    if (target >= 0) {
      this.target[n] = (args[target] as Arg).values[0];
      if (goto) bits |= GOTO;
    }
    if (comment !== undefined) this.comment[n] = comment;
    if (protocol !== undefined) this.protocolCode[n] = this.codeOf(protocolName(protocol));
    if (source !== undefined) this.source[n] = source;
    if (toDestination !== undefined) this.toDestination[n] = toDestination;
    if (probability >= 0) {
      this.probabilityArg[n] = probability;
      this.probability[n] = (args[probability] as Arg).values[0];
    }
    if (mode !== undefined) bits |= mode === 'random' ? MODE | RANDOM : MODE;
    if (bits !== 0) this.bits[n] = bits;
  }

  /**
   * Rule `n`'s protocol: the first one written before the first target and not negated, in
   * lower case with kube-proxy's protocol numbers named (`6` is `tcp`).
   */
  protocol(n: number): string | undefined {
    const code = this.protocolCode[n] as number;
    return code === 0 ? undefined : this.protocols[code - 1];
  }

  private codeOf(protocol: string): number {
    let code = this.protocolCodes.get(protocol);
    if (code === undefined) {
      code = this.protocols.push(protocol);
      this.protocolCodes.set(protocol, code);
    }
    return code;
  }

  /** The number of rules. */
  get size(): number {
    return this.chainOf.length;
  }
}

/** Whether a `-p` names a protocol (not negated, not empty: such a one leaves it to a later `-p`). */
function namesProtocol(a: Arg): boolean {
  const v = a.values[0];
  return !a.negated && v !== undefined && v !== '';
}

/** A protocol value in lower case, kube-proxy's protocol numbers named. */
function protocolName(a: Arg): string {
  const written = a.values[0] as string;
  // toLowerCase makes a new string even when nothing changes: most values are already `tcp`.
  const v = isLowerCase(written) ? written : written.toLowerCase();
  return v === '6' ? 'tcp' : v === '17' ? 'udp' : v === '132' ? 'sctp' : v;
}

/** Whether a string is ASCII without capitals (so toLowerCase would not change it). */
function isLowerCase(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c >= 128) return false;
  }
  return true;
}
