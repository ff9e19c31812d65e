import type { Arg, Rule } from '../../ast/types.js';
import { canonicalMatchOption, canonicalTargetOption, viewRule } from '../../ast/rule-view.js';
import { own } from '../../records.js';

/**
 * A rule's arguments grouped the way iptables reads them: base options (`-s`, `-d`, `-p`, `-i`,
 * `-o`, `-f`), one entry per match module with the options it owns, and the target with its
 * options (attribution as in `ast/rule-view.ts`: `-m tcp -p tcp -d IP --dport 80` gives
 * `--dport` to `tcp`).
 */
export interface RuleParts {
  base: Arg[];
  modules: ModuleUse[];
  target: TargetUse | null;
  /** Options no loaded module knows (a dump from a newer iptables, or a typo). */
  stray: Arg[];
}

export interface ModuleUse {
  name: string;
  options: Arg[];
  /** True for a match loaded implicitly by `-p tcp` (`-p tcp --dport 80` without `-m tcp`). */
  implicit: boolean;
}

export interface TargetUse {
  name: string;
  /** `-g CHAIN` rather than `-j`. */
  goto: boolean;
  options: Arg[];
}

const BASE_FLAGS: Record<string, string> = {
  '-s': '-s',
  '--source': '-s',
  '--src': '-s',
  '-d': '-d',
  '--destination': '-d',
  '--dst': '-d',
  '-p': '-p',
  '--protocol': '-p',
  '-i': '-i',
  '--in-interface': '-i',
  '-o': '-o',
  '--out-interface': '-o',
  '-f': '-f',
  '--fragment': '-f',
  '-4': '-4',
  '--ipv4': '-4',
  '-6': '-6',
  '--ipv6': '-6',
};

/**
 * Groups a rule's arguments with the shared rule view (`ast/rule-view.ts`), with every option
 * under its canonical spelling (`--destination-port` is `--dport`) so the evaluators know one name.
 */
export function splitRule(rule: Rule): RuleParts {
  const view = viewRule(rule);
  const parts: RuleParts = { base: [], modules: [], target: null, stray: [...view.stray] };
  for (const b of [view.protocol, view.source, view.destination, view.inInterface, view.outInterface]) {
    if (b) parts.base.push(withFlag(b.arg, own(BASE_FLAGS, b.arg.flag) ?? b.arg.flag));
  }
  if (view.fragment) parts.base.push(withFlag(view.fragment.arg, '-f'));
  for (const m of view.matches) {
    const name = m.module.toLowerCase();
    parts.modules.push({ name, implicit: m.implicit, options: canonical(m.options, (f) => canonicalMatchOption(name, f)) });
  }
  if (view.target) {
    const t = view.target;
    parts.target = { name: t.name, goto: t.kind === 'goto', options: canonical(t.options, (f) => canonicalTargetOption(t.name, f)) };
  }
  return parts;
}

/** The argument under another flag; the same object when the flag is already that. */
function withFlag(arg: Arg, flag: string): Arg {
  return arg.flag === flag ? arg : { ...arg, flag };
}

/** The options with canonical flags; the same array when every flag is already canonical. */
function canonical(options: Arg[], canon: (flag: string) => string | undefined): Arg[] {
  if (options.every((o) => (canon(o.flag) ?? o.flag) === o.flag)) return options;
  return options.map((o) => withFlag(o, canon(o.flag) ?? o.flag));
}

/** The first value of an option, or undefined. */
export function optionValue(options: readonly Arg[], ...flags: string[]): string | undefined {
  return options.find((o) => flags.includes(o.flag))?.values[0];
}

export function findOption(options: readonly Arg[], ...flags: string[]): Arg | undefined {
  return options.find((o) => flags.includes(o.flag));
}

