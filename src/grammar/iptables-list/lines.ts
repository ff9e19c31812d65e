import { isBlank, skipBlanks, wordEnd } from './scan.js';

/**
 * Recognisers for the non-rule lines of a listing: `Chain …` lines, column headers and the
 * `iptables … -L …` command line a person may have pasted above the output. Plain string
 * operations only; every function is linear in the line.
 */

/** A word of a line with its offset. */
export interface Word {
  text: string;
  start: number;
}

export function words(line: string, from = 0, max = Infinity): Word[] {
  const out: Word[] = [];
  let i = skipBlanks(line, from);
  while (i < line.length && out.length < max) {
    const end = wordEnd(line, i);
    out.push({ text: line.slice(i, end), start: i });
    i = skipBlanks(line, end);
  }
  return out;
}

export interface ChainLine {
  name: string;
  /** `ACCEPT`/`DROP` for built-in chains, `-` for user-defined ones. */
  policy: string;
  builtin: boolean;
  /** The policy counters, when printed (`-v`). */
  packets?: string;
  bytes?: string;
  /** Offsets of the counters in the line, for diagnostics. */
  packetsAt?: number;
  bytesAt?: number;
}

/** Parses `Chain NAME (policy P [N packets, M bytes])` or `Chain NAME (N references)`. */
export function parseChainLine(line: string): ChainLine | { error: string; name?: string } {
  const name = words(line, 'Chain'.length, 1)[0];
  if (name === undefined) return { error: 'chain name missing' };
  const open = skipBlanks(line, name.start + name.text.length);
  const close = line.trimEnd().length - 1;
  if (line.charAt(open) !== '(' || line.charAt(close) !== ')' || close <= open) {
    return { error: `expected "(policy …)" or "(N references)" after the chain name`, name: name.text };
  }
  const inner = line.slice(open + 1, close);
  if (inner.startsWith('policy ')) {
    const w = words(inner, 'policy'.length);
    const policy = w[0];
    if (policy === undefined) return { error: 'policy missing', name: name.text };
    if (w.length === 1) return { name: name.text, policy: policy.text, builtin: true };
    const [, p, pw, b, bw] = w;
    if (w.length !== 5 || p === undefined || b === undefined || pw?.text !== 'packets,' || bw?.text !== 'bytes') {
      return { error: `expected "policy ${policy.text} N packets, M bytes"`, name: name.text };
    }
    return {
      name: name.text,
      policy: policy.text,
      builtin: true,
      packets: p.text,
      bytes: b.text,
      packetsAt: open + 1 + p.start,
      bytesAt: open + 1 + b.start,
    };
  }
  const w = words(inner);
  const refs = w[0];
  if (
    (w.length === 2 && refs !== undefined && /^[0-9]+$/.test(refs.text) && w[1]?.text === 'references') ||
    inner === 'ERROR obtaining refs'
  ) {
    return { name: name.text, policy: '-', builtin: false };
  }
  return { error: `expected "(policy …)" or "(N references)" after the chain name`, name: name.text };
}

/** Which columns a listing has, from its header line. */
export interface Layout {
  num: boolean;
  counters: boolean;
  opt: boolean;
  via: boolean;
  /** Offset of the header's first word, for listings pasted with an indent. */
  indent: number;
}

const HEADER_STARTS = new Set(['num', 'pkts', 'target']);

/** Whether the line looks like a column header (it may still be malformed). */
export function isHeaderLike(line: string): boolean {
  const first = words(line, 0, 1)[0];
  return first !== undefined && HEADER_STARTS.has(first.text) && /(^|[ \t])prot([ \t]|$)/.test(line);
}

/** Parses `[num] [pkts bytes] target prot opt [in out] source destination`. */
export function parseHeader(line: string): Layout | { error: string } {
  const w = words(line).map((x) => x.text);
  let i = 0;
  const take = (name: string): boolean => {
    if (w[i] !== name) return false;
    i++;
    return true;
  };
  const num = take('num');
  const counters = take('pkts');
  if (counters && !take('bytes')) return { error: 'expected "bytes" after "pkts"' };
  if (!take('target') || !take('prot')) return { error: 'expected "target prot"' };
  const opt = take('opt');
  const via = take('in');
  if (via && !take('out')) return { error: 'expected "out" after "in"' };
  if (!take('source') || !take('destination')) return { error: 'expected "source destination"' };
  if (i !== w.length) return { error: `unexpected "${w[i] ?? ''}" after "destination"` };
  return { num, counters, opt, via, indent: skipBlanks(line, 0) };
}

/** What an `iptables … -L …` command line says about the listing below it. */
export interface CommandLine {
  family: 'ipv4' | 'ipv6';
  table?: string;
  chain?: string;
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
  /** The output goes through a filter (`| grep web`): rows may be missing, title lines too. */
  filtered?: boolean;
}

const BINARIES = new Set([
  'iptables',
  'ip6tables',
  'iptables-nft',
  'ip6tables-nft',
  'iptables-legacy',
  'ip6tables-legacy',
]);

/**
 * Recognises a pasted command such as `$ sudo iptables -t nat -L -n -v --line-numbers` or
 * `root@node:~# ip6tables -nvL KUBE-SERVICES`. Only listing commands (`-L`/`--list`) count.
 */
export function parseCommandLine(line: string): CommandLine | undefined {
  if (line.length > 2000 || !line.includes('tables')) return undefined;
  const w = words(line).map((x) => x.text);
  // The binary, within the first five words: before it a prompt (`$`, `root@node:~#`,
  // `[root@node ~]#`), then optionally `sudo` and its options.
  let b = 0;
  while (b < w.length && b < 5 && !isBinary(w[b] ?? '')) b++;
  const bin = w[b];
  if (bin === undefined || !isBinary(bin)) return undefined;
  let p = b - 1;
  while (p >= 0 && (w[p] ?? '').startsWith('-')) p--;
  if (p >= 0 && w[p] === 'sudo') p--;
  if (p >= 0 && !isPromptWord(w[p] ?? '')) return undefined;
  let i = b;
  const cmd: CommandLine = {
    family: basename(bin).startsWith('ip6') ? 'ipv6' : 'ipv4',
    numeric: false,
    verbose: false,
    exact: false,
    lineNumbers: false,
  };
  let list = false;
  for (i++; i < w.length; i++) {
    const a = w[i] ?? '';
    const next = w[i + 1];
    if (a === '|') {
      if (next !== undefined && /^(?:e|f)?grep$/.test(next)) cmd.filtered = true;
      break;
    }
    if (a === '>' || a === ';' || a === '&&') break;
    if (a === '-t' || a === '--table') {
      if (next !== undefined) cmd.table = next;
      i++;
    } else if (a.startsWith('--table=')) {
      cmd.table = a.slice('--table='.length);
    } else if (a === '-L' || a === '--list') {
      list = true;
      if (next !== undefined && !next.startsWith('-') && next !== '|') {
        cmd.chain = next;
        i++;
      }
    } else if (a === '-n' || a === '--numeric') cmd.numeric = true;
    else if (a === '-v' || a === '--verbose') cmd.verbose = true;
    else if (a === '-x' || a === '--exact') cmd.exact = true;
    else if (a === '--line-numbers') cmd.lineNumbers = true;
    else if (/^-[a-zA-Z]+$/.test(a)) {
      // Grouped short options, e.g. -nvL or -tnat.
      if (a.startsWith('-t') && a.length > 2) {
        cmd.table = a.slice(2);
        continue;
      }
      for (const c of a.slice(1)) {
        if (c === 'n') cmd.numeric = true;
        else if (c === 'v') cmd.verbose = true;
        else if (c === 'x') cmd.exact = true;
        else if (c === 'L') list = true;
      }
      if (a.endsWith('L') && next !== undefined && !next.startsWith('-') && next !== '|') {
        cmd.chain = next;
        i++;
      }
    }
  }
  return list ? cmd : undefined;
}

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

function isBinary(word: string): boolean {
  return BINARIES.has(basename(word));
}

function isPromptWord(word: string): boolean {
  const last = word.charAt(word.length - 1);
  return last === '$' || last === '#' || last === '>' || last === '%' || word.endsWith(']#') || word.endsWith(']$');
}

/** Whether the line is blank (spaces, tabs or nothing). */
export function isBlankLine(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (!isBlank(line.charCodeAt(i))) return false;
  return true;
}
