/**
 * Whether an input is Kubernetes manifests (YAML or JSON objects) or a dump of rules, read from
 * its content: the first line that is clearly one or the other decides. Lines that are neither —
 * a shell prompt with its command (`[root@node ~]# iptables -t nat -S`, `$ kubectl get svc -o
 * yaml`), a comment, a blank line — are passed over, so a paste that starts with a prompt is read
 * as what follows it. `[` starts a JSON array only when what follows can start a JSON value
 * (`[root@node ~]#` is a prompt, `[102:8638] -A …` a counted iptables-save rule).
 */
export function detectInputKind(text: string): 'manifests' | 'dump' {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let seen = 0;
  while (start < text.length && seen < 200) {
    const nl = text.indexOf('\n', start);
    const line = text.slice(start, nl < 0 ? text.length : nl).trim();
    start = nl < 0 ? text.length : nl + 1;
    if (line === '' || line.startsWith('#')) continue;
    seen++;
    if (MANIFEST_LINE.test(line)) return 'manifests';
    if (DUMP_LINE.test(line)) return 'dump';
  }
  return 'dump';
}

/** A line only a manifest starts with: a JSON object or array, a YAML document marker, a top-level key. */
const MANIFEST_LINE = /^(\{|\[\s*([{["\]\d-]|$)(?!\d+:\d+\])|---\s*$|--- [!&|>{[#]|\.\.\.$|(- )?(apiVersion|kind|metadata|items|spec|status|data)\s*:)/;

/**
 * A line only a dump has: iptables-save (`*table`, `:CHAIN`, `-A`, `[pkts:bytes]`, `COMMIT`),
 * `iptables -L` (`Chain`, its column titles), ipvsadm (`IP Virtual Server`, `Prot`, a service,
 * `->`, `-A -t`), ipset (`create`, `add`, `Name:`).
 */
const DUMP_LINE = /^(table\s+(ip6?|inet|arp|bridge|netdev)\s+\S+\s*\{|add\s+(table|chain|rule|set|map|element)\s|\*[a-z]|:[A-Za-z]|-[AINPXFDRZE]\s|\[\d+:\d+\]|COMMIT$|Chain\s|target\s|num\s|pkts\s|IP Virtual Server|Prot\s|(TCP|UDP|SCTP|FWM)\s|->|create\s|add\s|Name:)/;
