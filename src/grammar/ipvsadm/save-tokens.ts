import { createToken, Lexer } from '../chevrotain.js';
import type { TokenType, Lexer as LexerType } from 'chevrotain';

/**
 * Tokens of one line of `ipvsadm -S -n` output / `ipvsadm -R` input. Every option has its short
 * and long spelling; anything else is a `Word` (addresses, scheduler names, flag lists) or a
 * `Number`. An option-looking word the table does not know lexes as a `Word`, and the parser
 * reports it as an unknown option.
 */

export const Word = createToken({ name: 'Word', pattern: /[^\s]+/ });
export const NumberTok = createToken({ name: 'Number', pattern: /\d+/, longer_alt: Word });
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });

/** What an option does, independent of how it is spelled. */
export type SaveOptionKey =
  | 'addService'
  | 'editService'
  | 'deleteService'
  | 'addServer'
  | 'editServer'
  | 'deleteServer'
  | 'clear'
  | 'tcp'
  | 'udp'
  | 'sctp'
  | 'fwmark'
  | 'ipv6'
  | 'scheduler'
  | 'persistent'
  | 'netmask'
  | 'pe'
  | 'onePacket'
  | 'schedFlags'
  | 'realServer'
  | 'masquerading'
  | 'gatewaying'
  | 'ipip'
  | 'weight'
  | 'uThreshold'
  | 'lThreshold'
  | 'tunType'
  | 'tunPort'
  | 'tunNoCsum'
  | 'tunCsum'
  | 'tunRemCsum';

/** `none`: a switch; `value`: takes one word; `optionalNumber`: `-p [timeout]`. */
export type SaveOptionArity = 'none' | 'value' | 'optionalNumber';

export interface SaveOptionSpec {
  key: SaveOptionKey;
  spellings: readonly string[];
  arity: SaveOptionArity;
  token: TokenType;
}

const SPECS: ReadonlyArray<Omit<SaveOptionSpec, 'token'>> = [
  { key: 'addService', spellings: ['-A', '--add-service'], arity: 'none' },
  { key: 'editService', spellings: ['-E', '--edit-service'], arity: 'none' },
  { key: 'deleteService', spellings: ['-D', '--delete-service'], arity: 'none' },
  { key: 'addServer', spellings: ['-a', '--add-server'], arity: 'none' },
  { key: 'editServer', spellings: ['-e', '--edit-server'], arity: 'none' },
  { key: 'deleteServer', spellings: ['-d', '--delete-server'], arity: 'none' },
  { key: 'clear', spellings: ['-C', '--clear'], arity: 'none' },
  { key: 'tcp', spellings: ['-t', '--tcp-service'], arity: 'value' },
  { key: 'udp', spellings: ['-u', '--udp-service'], arity: 'value' },
  { key: 'sctp', spellings: ['--sctp-service'], arity: 'value' },
  { key: 'fwmark', spellings: ['-f', '--fwmark-service'], arity: 'value' },
  { key: 'ipv6', spellings: ['-6', '--ipv6'], arity: 'none' },
  { key: 'scheduler', spellings: ['-s', '--scheduler'], arity: 'value' },
  { key: 'persistent', spellings: ['-p', '--persistent'], arity: 'optionalNumber' },
  { key: 'netmask', spellings: ['-M', '--netmask'], arity: 'value' },
  // `pe NAME` and `ops` are how ipvsadm 1.26 and older wrote these in `-S` output.
  { key: 'pe', spellings: ['--pe', 'pe'], arity: 'value' },
  { key: 'onePacket', spellings: ['-o', '--ops', 'ops'], arity: 'none' },
  { key: 'schedFlags', spellings: ['-b', '--sched-flags'], arity: 'value' },
  { key: 'realServer', spellings: ['-r', '--real-server'], arity: 'value' },
  { key: 'masquerading', spellings: ['-m', '--masquerading'], arity: 'none' },
  { key: 'gatewaying', spellings: ['-g', '--gatewaying'], arity: 'none' },
  { key: 'ipip', spellings: ['-i', '--ipip'], arity: 'none' },
  { key: 'weight', spellings: ['-w', '--weight'], arity: 'value' },
  { key: 'uThreshold', spellings: ['-x', '--u-threshold'], arity: 'value' },
  { key: 'lThreshold', spellings: ['-y', '--l-threshold'], arity: 'value' },
  { key: 'tunType', spellings: ['--tun-type'], arity: 'value' },
  { key: 'tunPort', spellings: ['--tun-port'], arity: 'value' },
  { key: 'tunNoCsum', spellings: ['--tun-nocsum'], arity: 'none' },
  { key: 'tunCsum', spellings: ['--tun-csum'], arity: 'none' },
  { key: 'tunRemCsum', spellings: ['--tun-remcsum'], arity: 'none' },
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

export const SAVE_OPTIONS: readonly SaveOptionSpec[] = SPECS.map((spec) => ({
  ...spec,
  token: createToken({
    name: `Opt_${spec.key}`,
    // Longest spelling first so `--tcp-service` is not read as `-`... of something shorter.
    pattern: new RegExp([...spec.spellings].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')),
    longer_alt: Word,
  }),
}));

export const SAVE_TOKENS: TokenType[] = [WhiteSpace, ...SAVE_OPTIONS.map((o) => o.token), NumberTok, Word];

let saveLexerInstance: LexerType | undefined;
/** The chevrotain lexer of these tokens, built on first use (building one costs milliseconds). */
export function saveLexer(): LexerType {
  saveLexerInstance ??= new Lexer(SAVE_TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: false });
  return saveLexerInstance;
}

/** The option spelled `flag`, if ipvsadm has one. */
export function optionBySpelling(flag: string): SaveOptionSpec | undefined {
  return SAVE_OPTIONS.find((o) => o.spellings.includes(flag));
}
