import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NftRuleSet } from '../../ast/nft-types.js';
import { parseDump } from '../detect.js';

const DIR = join(import.meta.dirname, '../../../test/fixtures/dumps/nft');
const LISTING = readFileSync(join(DIR, 'node-listing-a.nft'), 'utf8').trimEnd().split('\n');
const ADD = readFileSync(join(import.meta.dirname, '../../../test/conformance/nftables/three-clusterip-services/expected.nft'), 'utf8').trimEnd().split('\n');
const SAVE = ['*nat', ':KUBE-SERVICES - [0:0]', '-A KUBE-SERVICES -d 10.96.0.1/32 -j ACCEPT', 'COMMIT'];
const IPSET = ['create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536', 'add KUBE-CLUSTER-IP 10.96.0.1,tcp:443'];

const summary = (text: string) => {
  const r = parseDump(text, 'paste.txt');
  return {
    sections: r.sections.map((s) => `${s.format}:${s.firstLine}-${s.lastLine}`),
    tables: r.ruleSets.map((x) => (x.kind === 'nft' ? `${x.family} ${x.table}${x.excerpt ? ` (${x.excerpt})` : ''}` : x.kind)),
    diagnostics: r.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`),
  };
};

describe('nft text among other dumps', () => {
  it('finds a listing on its own and nft -f text on its own, with no note', () => {
    expect(summary(LISTING.join('\n'))).toEqual({ sections: [`nft:1-${LISTING.length}`], tables: ['ip nat', 'ip kube-proxy', 'ip6 kube-proxy'], diagnostics: [] });
    expect(summary(ADD.join('\n'))).toEqual({ sections: [`nft:1-${ADD.length}`], tables: ['ip kube-proxy'], diagnostics: [] });
  });

  it('splits a paste of prompts, an nft listing, iptables-save, nft -f text and ipset save', () => {
    const text = ['root@node-1:~# nft -a list ruleset', ...LISTING, 'root@node-1:~# iptables-save -t nat', ...SAVE, '$ cat /tmp/kube-proxy.nft', ...ADD, '# ipset save', ...IPSET].join('\n');
    const a = LISTING.length + 1;
    const b = a + 1 + SAVE.length;
    const c = b + 1 + ADD.length;
    expect(summary(text)).toEqual({
      sections: [`nft:2-${a}`, `iptables-save:${a + 2}-${b}`, `nft:${b + 2}-${c}`, `ipset-save:${c + 2}-${c + 3}`],
      tables: ['ip nat', 'ip kube-proxy', 'ip6 kube-proxy', 'iptables', 'ip kube-proxy', 'ipset'],
      diagnostics: [
        "1:1 note RC290 shell prompt 'root@node-1:~# nft -a list ruleset' is not part of a dump; skipped",
        `${a + 1}:1 note RC290 shell prompt 'root@node-1:~# iptables-save -t nat' is not part of a dump; skipped`,
        `${b + 1}:1 note RC290 shell prompt '$ cat /tmp/kube-proxy.nft' is not part of a dump; skipped`,
        `${c + 1}:1 note RC290 shell prompt '# ipset save' is not part of a dump; skipped`,
      ],
    });
  });

  it('reads a listing the author cut (...) as an excerpt, with notes, not errors', () => {
    // Lines 1-40 (the nat table and the start of ip kube-proxy), a cut, the end of ip6 kube-proxy's last chain.
    const text = [...LISTING.slice(0, 40), '...', ...LISTING.slice(-4)].join('\n');
    const r = summary(text);
    expect(r).toEqual({
      sections: ['nft:1-45'],
      tables: ['ip nat', 'ip kube-proxy (the text was cut at line 41)'],
      diagnostics: ["41:1 note RC290 elision '...' is not part of a dump; skipped", "42:3 note RC270 'ip6' follows the cut at line 41: what it belongs to is not in the text; skipped"],
    });
    const kp = parseDump(text, 'paste.txt').ruleSets[1] as NftRuleSet;
    expect([kp.chains.length, kp.sets.length, kp.tableComment]).toEqual([0, 0, 'rules for kube-proxy']);
  });

  it('a listing cut short at the end: the unclosed table is a note after a cut, an error without one', () => {
    expect(summary([...LISTING.slice(0, 43), '...', LISTING[44]].join('\n')).diagnostics).toEqual([
      "44:1 note RC290 elision '...' is not part of a dump; skipped",
      "45:13 note RC277 set 'affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80' opened at line 41 is not closed: the text was cut at line 44",
      "45:13 note RC277 table 'ip kube-proxy' opened at line 39 is not closed: the text was cut at line 44",
    ]);
    expect(summary(LISTING.slice(0, 45).join('\n')).diagnostics).toEqual([
      "45:13 error RC277 set 'affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80' opened at line 41 is not closed: the text ends before its '}'",
      "45:13 error RC277 table 'ip kube-proxy' opened at line 39 is not closed: the text ends before its '}'",
    ]);
  });

  it('after a prompt, indented text is another command\'s output, not more of the listing', () => {
    const text = [...LISTING.slice(0, 38), '$ ip -br addr', '  lo UNKNOWN 127.0.0.1/8', '  eth0 UP 10.0.0.5/24'].join('\n');
    expect(summary(text)).toEqual({
      sections: ['nft:1-38'],
      tables: ['ip nat'],
      diagnostics: [
        "39:1 note RC290 shell prompt '$ ip -br addr' is not part of a dump; skipped",
        "40:1 note RC290 line 'lo UNKNOWN 127.0.0.1/8' is not part of the nft dump above it; skipped",
        "41:1 note RC290 line 'eth0 UP 10.0.0.5/24' is not part of the nft dump above it; skipped",
      ],
    });
  });
});
