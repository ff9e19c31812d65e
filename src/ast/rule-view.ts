import type { Arg, Rule } from './types.js';
import { implicitProtocolModule, MATCH_OPTIONS, STANDARD_TARGETS, TARGET_OPTIONS } from './xtables/modules.js';
import { parseProtocol } from './xtables/values.js';
import { own } from '../records.js';

/**
 * A typed view of an iptables rule. A `Rule` keeps its arguments in the order they were written;
 * the view says who owns each of them, the way iptables itself attributes them:
 *
 * - the built-in options `-p`, `-s`, `-d`, `-i`, `-o`, `-f` (and their long spellings);
 * - the match modules: every `-m X` starts a match, and an option belongs to the most recently
 *   loaded module that has it (`-m comment --comment c -m tcp -p tcp --dport 80`: `--dport` is
 *   tcp's); an option no loaded module has, after `-p tcp|udp|sctp|icmp|…`, loads that
 *   protocol's module implicitly at that point (`-p tcp --dport 80`);
 * - the target `-j X` / `-g X` and the options after it that X owns (`--to-destination`, …).
 *
 * Options of modules rulec does not know stay with the latest such module; options nothing can
 * own are kept in `stray`.
 */

export interface ValueView {
  value: string;
  negated: boolean;
  arg: Arg;
}

export interface MatchView {
  /** The module name, e.g. `comment`, `tcp`, `conntrack`. */
  module: string;
  /** Loaded by `-p PROTO` without a `-m` of its own. */
  implicit: boolean;
  /** The `-m X` argument (absent for an implicit match). */
  arg?: Arg;
  /** The options, in the order written. */
  options: Arg[];
}

export interface TargetView {
  name: string;
  kind: 'jump' | 'goto';
  arg: Arg;
  options: Arg[];
}

export interface RuleView {
  protocol?: ValueView;
  source?: ValueView;
  destination?: ValueView;
  inInterface?: ValueView;
  outInterface?: ValueView;
  /** `-f` (IPv4 only): second and further fragments. */
  fragment?: { negated: boolean; arg: Arg };
  /** `-c PKTS BYTES` written inside the rule. */
  counters?: Arg;
  matches: MatchView[];
  target?: TargetView;
  /** The text of the first `-m comment --comment`. */
  comment?: string;
  /** Options no loaded module could own. */
  stray: Arg[];
}

type Builtin = 'protocol' | 'source' | 'destination' | 'inInterface' | 'outInterface' | 'fragment' | 'jump' | 'goto' | 'match' | 'counters';

const BUILTIN: Readonly<Record<string, Builtin>> = {
  '-p': 'protocol',
  '--protocol': 'protocol',
  '-s': 'source',
  '--source': 'source',
  '--src': 'source',
  '-d': 'destination',
  '--destination': 'destination',
  '--dst': 'destination',
  '-i': 'inInterface',
  '--in-interface': 'inInterface',
  '-o': 'outInterface',
  '--out-interface': 'outInterface',
  '-f': 'fragment',
  '--fragment': 'fragment',
  '-j': 'jump',
  '--jump': 'jump',
  '-g': 'goto',
  '--goto': 'goto',
  '-m': 'match',
  '--match': 'match',
  '-c': 'counters',
  '--set-counters': 'counters',
};

/** Which built-in option a flag spells, if any. */
export function builtinOption(flag: string): Builtin | undefined {
  return Object.prototype.hasOwnProperty.call(BUILTIN, flag) ? BUILTIN[flag] : undefined;
}

/** The canonical spelling of a match option (`--destination-port` → `--dport`), if known. */
export function canonicalMatchOption(module: string, flag: string): string | undefined {
  const table = own(MATCH_OPTIONS, module);
  return table && Object.prototype.hasOwnProperty.call(table, flag) ? table[flag] : undefined;
}

/** The canonical spelling of a target option (`--to` → `--to-destination` for DNAT), if known. */
export function canonicalTargetOption(target: string, flag: string): string | undefined {
  const table = own(TARGET_OPTIONS, target);
  return table && Object.prototype.hasOwnProperty.call(table, flag) ? table[flag] : undefined;
}

/** Whether rulec knows the options of match module `module`. */
export function isKnownMatch(module: string): boolean {
  return Object.prototype.hasOwnProperty.call(MATCH_OPTIONS, module);
}

/** Whether `name` is a target extension whose options rulec knows. */
export function isKnownTarget(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(TARGET_OPTIONS, name);
}

/** A loaded extension, in load order: a match, or the target. */
type Loaded = { kind: 'match'; match: MatchView } | { kind: 'target'; target: TargetView };

function owns(l: Loaded, flag: string): boolean {
  return l.kind === 'match'
    ? canonicalMatchOption(l.match.module, flag) !== undefined
    : canonicalTargetOption(l.target.name, flag) !== undefined;
}

/** An extension whose options rulec does not know: it may own anything. */
function isOpaque(l: Loaded): boolean {
  if (l.kind === 'match') return !isKnownMatch(l.match.module);
  return !isKnownTarget(l.target.name) && !STANDARD_TARGETS.has(l.target.name) && looksLikeExtension(l.target.name);
}

/** Target extensions are upper case (`DNAT`, `SYNPROXY`); user chains may be anything. */
function looksLikeExtension(name: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(name) && !name.includes('-');
}

/** Verdicts and jumps to user chains take no options; matches and target extensions do. */
function hasOptions(l: Loaded): boolean {
  if (l.kind === 'match') return true;
  return isKnownTarget(l.target.name) || (!STANDARD_TARGETS.has(l.target.name) && looksLikeExtension(l.target.name));
}

function optionsOf(l: Loaded): Arg[] {
  return l.kind === 'match' ? l.match.options : l.target.options;
}

/** Builds the view of `rule`. Pure; never throws. */
export function viewRule(rule: Rule): RuleView {
  return viewArgs(rule.args);
}

export function viewArgs(args: readonly Arg[]): RuleView {
  const view: RuleView = { matches: [], stray: [] };
  const loaded: Loaded[] = [];
  let implicitLoaded = false;
  let protocolModule: string | undefined;

  for (const arg of args) {
    const builtin = builtinOption(arg.flag);
    if (builtin !== undefined) {
      const value = arg.values[0] ?? '';
      switch (builtin) {
        case 'protocol': {
          view.protocol = { value, negated: arg.negated, arg };
          const num = parseProtocol(value);
          protocolModule = num === undefined || arg.negated ? undefined : implicitProtocolModule(num);
          break;
        }
        case 'source':
        case 'destination':
        case 'inInterface':
        case 'outInterface':
          view[builtin] = { value, negated: arg.negated, arg };
          break;
        case 'fragment':
          view.fragment = { negated: arg.negated, arg };
          break;
        case 'counters':
          view.counters = arg;
          break;
        case 'match': {
          const match: MatchView = { module: value, implicit: false, arg, options: [] };
          view.matches.push(match);
          loaded.push({ kind: 'match', match });
          break;
        }
        case 'jump':
        case 'goto': {
          const target: TargetView = { name: value, kind: builtin === 'jump' ? 'jump' : 'goto', arg, options: [] };
          view.target = target;
          loaded.push({ kind: 'target', target });
          break;
        }
      }
      continue;
    }

    // 1. the most recently loaded known extension that has this option
    let owner: Loaded | undefined;
    for (let i = loaded.length - 1; i >= 0 && !owner; i--) {
      const l = loaded[i] as Loaded;
      if (owns(l, arg.flag)) owner = l;
    }
    // 2. the protocol's own module, loaded implicitly once
    if (!owner && protocolModule && !implicitLoaded && canonicalMatchOption(protocolModule, arg.flag) !== undefined) {
      const match: MatchView = { module: protocolModule, implicit: true, options: [] };
      view.matches.push(match);
      owner = { kind: 'match', match };
      loaded.push(owner);
      implicitLoaded = true;
    }
    // 3. the latest extension rulec knows nothing about, 4. else the latest one that takes options
    for (let i = loaded.length - 1; i >= 0 && !owner; i--) {
      const l = loaded[i] as Loaded;
      if (isOpaque(l)) owner = l;
    }
    for (let i = loaded.length - 1; i >= 0 && !owner; i--) {
      const l = loaded[i] as Loaded;
      if (hasOptions(l)) owner = l;
    }
    if (owner) optionsOf(owner).push(arg);
    else view.stray.push(arg);
  }

  const comment = commentsOf(view)[0];
  if (comment !== undefined) view.comment = comment;
  return view;
}

function commentsOf(view: RuleView): string[] {
  const out: string[] = [];
  for (const m of view.matches) {
    if (m.module !== 'comment') continue;
    for (const o of m.options) if (o.flag === '--comment' && o.values[0] !== undefined) out.push(o.values[0]);
  }
  return out;
}

/** The text of the rule's first comment (`-m comment --comment TEXT`), if any. */
export function ruleComment(rule: Rule): string | undefined {
  // `--comment` belongs to the comment match alone, so a scan finds the same text as the view
  // without building it (canonical ordering and tracing call this for every rule).
  for (const a of rule.args) if (a.flag === '--comment') return a.values[0] ?? '';
  return undefined;
}

const TARGET_FLAGS: Readonly<Record<string, 'jump' | 'goto'>> = { '-j': 'jump', '--jump': 'jump', '-g': 'goto', '--goto': 'goto' };

/** Where the rule's `-j`/`-g` is in its arguments (the last one written, as iptables takes it), or -1. */
function targetArgIndex(rule: Rule): number {
  const args = rule.args;
  for (let i = args.length - 1; i >= 0; i--) if (own(TARGET_FLAGS, (args[i] as Arg).flag) !== undefined) return i;
  return -1;
}

/**
 * The name of the rule's target (`-j X`, `-g X`; the last one written, as iptables takes it),
 * read with a scan of the arguments rather than a built view.
 */
export function ruleTargetName(rule: Rule): string | undefined {
  const at = targetArgIndex(rule);
  return at < 0 ? undefined : (rule.args[at] as Arg).values[0];
}

export interface ScannedTarget {
  name: string;
  kind: 'jump' | 'goto';
  arg: Arg;
  /** Position of the target argument in `rule.args`. */
  at: number;
}

/** The rule's target as `ruleTargetName` finds it, with how it is reached and its argument. */
export function scanTarget(rule: Rule): ScannedTarget | undefined {
  const at = targetArgIndex(rule);
  const arg = rule.args[at];
  const name = arg?.values[0];
  return arg === undefined || name === undefined ? undefined : { name, kind: own(TARGET_FLAGS, arg.flag) as 'jump' | 'goto', arg, at };
}

/** The texts of all the rule's comments, in order. */
export function ruleComments(rule: Rule): string[] {
  return commentsOf(viewRule(rule));
}

/** The rule's target (`-j X` or `-g X`) with its options, if any. */
export function ruleTarget(rule: Rule): TargetView | undefined {
  return viewRule(rule).target;
}

/** The matches of module `module` in `view`, in order. */
export function matchesOf(view: RuleView, module: string): MatchView[] {
  return view.matches.filter((m) => m.module === module);
}

/**
 * The option `flag` of a match or target (any spelling of it: `--dport` also finds
 * `--destination-port`); the last one written wins, as in iptables.
 */
export function optionOf(owner: MatchView | TargetView, flag: string): Arg | undefined {
  const isMatch = 'module' in owner;
  const canon = (f: string): string =>
    (isMatch ? canonicalMatchOption(owner.module, f) : canonicalTargetOption(owner.name, f)) ?? f;
  const wanted = canon(flag);
  let found: Arg | undefined;
  for (const o of owner.options) if (canon(o.flag) === wanted) found = o;
  return found;
}

/** The first value of option `flag` of module `module` anywhere in the rule. */
export function matchValue(view: RuleView, module: string, flag: string): string | undefined {
  for (const m of matchesOf(view, module)) {
    const o = optionOf(m, flag);
    if (o) return o.values[0];
  }
  return undefined;
}
