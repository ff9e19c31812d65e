import { clip } from '../display-text.js';

/**
 * What people paste around the text rulec reads: shell prompts with the commands they typed,
 * bare command lines, Markdown code fences, `---`/`===` separators and `...` cuts. This module
 * is the one place that knows their shapes; the dump detector and the manifest reader both ask
 * it, so a paste reads the same way whatever it holds.
 */
export type ShellLineKind = 'prompt' | 'command' | 'fence' | 'separator' | 'elision';

export interface ShellLine {
  kind: ShellLineKind;
  /** The command typed after a prompt (or the whole command line), when there is one. */
  command?: string;
}

/** Programs whose command lines appear in pastes about kube-proxy's rules. */
const TOOL = String.raw`(?:sudo\s+(?:-\S+\s+)*)?(?:\S*\/)?(?:ip6?tables(?:-legacy|-nft)?(?:-save|-restore)?|ipvsadm(?:-save|-restore)?|ipset|nft|kubectl|oc|crictl|docker|conntrack|minikube|kind|k3s|microk8s)(?=\s|$)`;

/**
 * A prompt, and what follows it. The forms seen in pastes:
 * `[root@node ~]#`, `[root@node ~]` (cut before its `#`), `root@node:~#`, `user@host:/tmp$`,
 * `controlplane $`, `node01 ~ #`, `bash-5.1#`, `/ #`, `~ #`, `$`, `%`, `>`, `PS C:\>`,
 * `C:\Users\me>`, zsh's `➜  ~`. A `#` followed by a command is a root prompt too
 * (`# iptables -t nat -nvL`); `#` followed by other text is a comment, not a prompt.
 */
const PROMPTS: readonly RegExp[] = [
  /^\[(?!\d+:\d+\])[^\]\n]{0,200}@[^\]\n]{0,200}\](?:\s?[#$%>](?=\s|$))?/,
  /^\[(?!\d+:\d+\])[\w.~/:-]{1,80}(?:\s+[\w.~/:-]{1,80}){0,3}\][#$%>](?=\s|$)/,
  /^(?:\([\w.-]{1,40}\)\s)?[\w.-]{1,64}@[\w.-]{1,128}(?::[^\s#$%]{0,200})?\s?[#$%>](?=\s|$)/,
  /^(?:\([\w.-]{1,40}\)\s)?[\w.-]{0,63}[\w~/.](?:\s+[~/][^\s#$%]{0,200}|:[~/][^\s#$%]{0,200})?\s?[#$%](?=\s|$)/,
  /^[/~](?:[^\s#$%]{0,200})?\s?[#$%](?=\s|$)/,
  /^PS [A-Za-z]:\\[^>\n]{0,200}>/,
  /^[A-Za-z]:\\[^>\n]{0,200}>/,
  /^➜\s+\S{1,200}/,
  /^[$%>](?=\s|$)/,
];

const COMMAND = new RegExp(`^${TOOL}`);
/** Commands people run around the output they paste: `cat svc.yaml`, `vi svc.yaml`, `helm template …`. */
const OTHER_COMMAND = /^(?:sudo\s+)?(?:cat|vi|vim|nano|less|more|head|tail|echo|curl|wget|ping|watch|helm|kustomize|ssh|grep|egrep|awk|sed|sort|tee|ip|ss|netstat|arp|nslookup|dig|systemctl|journalctl|export|cd|ls)\s+\S/;
const ROOT_COMMAND = new RegExp(String.raw`^#\s*${TOOL}`);

/**
 * What a line of a paste is, when it is plainly not the text of a dump or manifest; undefined
 * otherwise. `trimmed` is the line without its leading and trailing blanks.
 */
export function shellLineOf(trimmed: string): ShellLine | undefined {
  if (trimmed === '') return undefined;
  const c = trimmed.charCodeAt(0);
  if ((c === 45 || c === 61 || c === 95 || c === 42) && /^(?:-{3,}|={3,}|_{3,}|\*{3,})$/.test(trimmed)) return { kind: 'separator' };
  if ((c === 46 || c === 0x2026 || c === 91) && isElision(trimmed)) return { kind: 'elision' };
  if (c === 96 || c === 126) {
    if (/^(?:`{3,}|~{3,})[\w+.-]*\s*$/.test(trimmed)) return { kind: 'fence' };
  }
  if (c === 91 && /^\[sudo\] password for [^\s:]+:/.test(trimmed)) return { kind: 'prompt' };
  if (c === 35) {
    const m = ROOT_COMMAND.exec(trimmed);
    return m ? { kind: 'prompt', command: trimmed.replace(/^#\s*/, '') } : undefined;
  }
  for (const p of PROMPTS) {
    const m = p.exec(trimmed);
    if (m === null) continue;
    const rest = trimmed.slice(m[0].length).trim();
    // `word $ text` and `word # text` without a known command after them are too loose to be
    // sure of in a dump (an iptables -L row never has them, but other text may): a known tool,
    // a pipe or `sudo` after them says it is a prompt, and so does nothing at all.
    if (p === PROMPTS[3] || p === PROMPTS[4]) {
      if (rest !== '' && !COMMAND.test(rest) && !/^(?:cat|echo|sudo|curl|ssh|grep|sh|bash|watch|less|head|tail)\b/.test(rest)) continue;
    }
    return rest === '' ? { kind: 'prompt' } : { kind: 'prompt', command: rest };
  }
  if (COMMAND.test(trimmed) || OTHER_COMMAND.test(trimmed)) return { kind: 'command', command: trimmed };
  return undefined;
}

/** `...`, `....`, `…`, `[...]`, `... 300 more lines ...`, `(...)`. */
function isElision(trimmed: string): boolean {
  // `... }` is a cut and the end of a block (nftables): not an elision alone.
  return /^(?:\.{3,}|…+)$/.test(trimmed) || (/^[[(]?(?:\.{3,}|…)(?:\s?\S.*)?[\])]?$/.test(trimmed) && !/[{};]/.test(trimmed));
}

/** The text of a warning or note about a shell line: `shell prompt '[root@node ~]# …'`. */
export function describeShellLine(line: ShellLine, trimmed: string): string {
  switch (line.kind) {
    case 'separator':
      return `separator '${clip(trimmed, 50)}'`;
    case 'elision':
      return `elision '${clip(trimmed, 50)}'`;
    case 'fence':
      return 'code fence';
    case 'prompt':
      return `shell prompt '${clip(trimmed, 50)}'`;
    case 'command':
      return `command '${clip(trimmed, 50)}'`;
  }
}
