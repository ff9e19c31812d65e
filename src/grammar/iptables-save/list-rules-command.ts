import type { IpFamily } from '../../ast/types.js';

/** What a pasted `iptables [-t TABLE] -S [CHAIN]` command says about the listing after it. */
export interface ListRulesCommand {
  family: IpFamily;
  table?: string;
  chain?: string;
}

const BINARY = /^(?:\S*\/)?(ip6?)tables(?:-nft|-legacy)?$/;

/**
 * Recognises a pasted `iptables -S` command, with or without a prompt before it:
 * `root@node:~# iptables -t nat -S`, `$ sudo ip6tables -S KUBE-SERVICES`,
 * `[root@node ~]# iptables -v -S FORWARD`. The table it names is the table of the listing.
 */
export function parseListRulesCommand(line: string): ListRulesCommand | undefined {
  if (line.length > 1000 || !line.includes('tables')) return undefined;
  const w = line.trim().split(/\s+/);
  let b = 0;
  while (b < w.length && b < 6 && !BINARY.test(w[b] as string)) b++;
  const bin = w[b];
  if (bin === undefined || b >= 6) return undefined;
  // Before the binary: optionally `sudo` (with its options), and before that a prompt.
  let p = b - 1;
  while (p >= 0 && (w[p] as string).startsWith('-')) p--;
  if (p >= 0 && w[p] === 'sudo') p--;
  if (p >= 0 && !/[$#%>]$/.test(w[p] as string)) return undefined;
  const cmd: ListRulesCommand = { family: (BINARY.exec(bin) as RegExpExecArray)[1] === 'ip6' ? 'ipv6' : 'ipv4' };
  let listRules = false;
  for (let i = b + 1; i < w.length; i++) {
    const a = w[i] as string;
    const next = w[i + 1];
    if (a === '|' || a === '>' || a === ';' || a === '&&') break;
    if (a === '-t' || a === '--table') {
      if (next === undefined) return undefined;
      cmd.table = next;
      i++;
    } else if (a.startsWith('--table=')) {
      cmd.table = a.slice('--table='.length);
    } else if (a === '--list-rules' || (/^-[a-zA-Z]+$/.test(a) && a.includes('S'))) {
      listRules = true;
      if (next !== undefined && !next.startsWith('-') && !/^[|>;&]/.test(next)) {
        cmd.chain = next;
        i++;
      }
    } else if (/^-[a-zA-Z]+$/.test(a) && /[LADIRNXFPZE]/.test(a)) {
      return undefined;
    }
  }
  return listRules ? cmd : undefined;
}

const SAVE_BINARY = /^(?:\S*\/)?ip6?tables(?:-nft|-legacy)?-save$/;

/**
 * The table a pasted `iptables-save -t TABLE …` command (`| grep X` after it) names, so the
 * lines of its output that follow are of that table; undefined when it names none.
 */
export function tableOfSaveCommand(command: string): string | undefined {
  if (command.length > 1000 || !command.includes('tables')) return undefined;
  const w = command.trim().split(/\s+/);
  for (let i = 0; i < w.length && i < 8; i++) {
    if (!SAVE_BINARY.test(w[i] as string)) continue;
    for (let j = i + 1; j < w.length; j++) {
      const a = w[j] as string;
      if (a === '|' || a === ';' || a === '&&' || a === '>') return undefined;
      if ((a === '-t' || a === '--table') && w[j + 1] !== undefined) return w[j + 1];
      if (a.startsWith('--table=')) return a.slice('--table='.length);
      if (/^-t\w+$/.test(a)) return a.slice(2);
    }
    return undefined;
  }
  return undefined;
}
