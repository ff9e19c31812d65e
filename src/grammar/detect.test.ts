import { describe, expect, it } from 'vitest';
import type { IptablesRuleSet } from '../ast/types.js';
import { formatDiagnostic } from '../diagnostics.js';
import { parseDump } from './detect.js';
import { formatIds } from './formats.js';

const SAVE = ['*nat', ':KUBE-SERVICES - [0:0]', '-A KUBE-SERVICES -d 10.96.0.1/32 -j ACCEPT', 'COMMIT'];
const IPVS = ['IP Virtual Server version 1.2.1 (size=4096)', 'Prot LocalAddress:Port Scheduler Flags', '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn', 'TCP  10.96.0.1:443 rr', '  -> 192.168.1.10:6443            Masq    1      0          0'];
const RULES = ['-P INPUT ACCEPT', '-P FORWARD ACCEPT', '-P OUTPUT ACCEPT', '-N KUBE-FORWARD', '-A FORWARD -j KUBE-FORWARD'];
const IPSET = ['create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536', 'add KUBE-CLUSTER-IP 10.96.0.1,tcp:443'];
const IPVS_SAVE = ['-A -t 10.96.0.1:443 -s rr', '-a -t 10.96.0.1:443 -r 192.168.1.10:6443 -m -w 1'];

const summary = (text: string) => {
  const r = parseDump(text, 'paste.txt');
  return { sections: r.sections.map((s) => `${s.format}:${s.firstLine}-${s.lastLine}`), kinds: r.ruleSets.map((x) => x.kind), diagnostics: r.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`) };
};

describe('parseDump', () => {
  it('lists every registered format', () => {
    expect(formatIds()).toEqual(['iptables-save', 'ipvsadm-list', 'iptables-list', 'ipset-list', 'ipset-save', 'nft', 'ipvsadm-save', 'iptables-rules']);
  });

  it('detects a lone iptables-save dump', () => {
    expect(summary(SAVE.join('\n'))).toEqual({ sections: ['iptables-save:1-4'], kinds: ['iptables'], diagnostics: [] });
  });

  it('splits dumps pasted one after another, in any order', () => {
    expect(summary([...SAVE, ...IPVS, ...IPSET, ...IPVS_SAVE, ...RULES].join('\n'))).toEqual({
      sections: ['iptables-save:1-4', 'ipvsadm-list:5-9', 'ipset-save:10-11', 'ipvsadm-save:12-13', 'iptables-rules:14-18'],
      kinds: ['iptables', 'ipvs', 'ipset', 'ipvs', 'iptables'],
      diagnostics: ["14:1 note RC216 iptables -S does not name its table: read as 'filter' from its built-in chains INPUT, FORWARD, OUTPUT (--table names it)"],
    });
  });

  it('keeps rule lines inside an open table, even those that look like another format', () => {
    const text = ['*filter', ':INPUT ACCEPT [0:0]', '-P INPUT DROP', '-N MINE', '-A MINE -j RETURN', 'COMMIT'].join('\n');
    expect(summary(text)).toEqual({ sections: ['iptables-save:1-6'], kinds: ['iptables'], diagnostics: [] });
  });

  it('warns about prompts, separators, elisions and fences, and reads on around them', () => {
    const text = ['root@node-1:~# iptables-save', ...SAVE.slice(0, 3), '...', 'COMMIT', '---', '[root@node-1 ~]# ipvsadm -Ln', ...IPVS, '```'].join('\n');
    expect(summary(text)).toEqual({
      sections: ['iptables-save:2-6', 'ipvsadm-list:9-13'],
      kinds: ['iptables', 'ipvs'],
      diagnostics: [
        "1:1 note RC290 shell prompt 'root@node-1:~# iptables-save' is not part of a dump; skipped",
        "5:1 note RC290 elision '...' is not part of a dump; skipped",
        "7:1 note RC290 separator '---' is not part of a dump; skipped",
        "8:1 note RC290 shell prompt '[root@node-1 ~]# ipvsadm -Ln' is not part of a dump; skipped",
        '14:1 note RC290 code fence is not part of a dump; skipped',
      ],
    });
  });

  it('keeps line numbers true when a skipped line sits inside a dump', () => {
    const r = parseDump(['*nat', ':X - [0:0]', '...', '-A X --bogus', 'COMMIT'].join('\n'), 'f');
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(['3:1 RC290', '4:6 RC206']);
  });

  it('notes a stray line between dumps, and warns when it looks like a damaged rule', () => {
    expect(summary([...SAVE, 'hello there', ...SAVE].join('\n')).diagnostics).toEqual([
      "5:1 note RC290 line 'hello there' is not part of the iptables-save dump above it; skipped",
    ]);
    expect(summary([...SAVE, 'A KUBE-SERVICES -j KUBE-SVC-X', ...SAVE].join('\n')).diagnostics).toEqual([
      "5:1 warning RC290 line 'A KUBE-SERVICES -j KUBE-SVC-X' is not part of the iptables-save dump above it; skipped",
    ]);
  });

  it('reports a table cut short by the next dump', () => {
    expect(summary([...SAVE.slice(0, 3), ...IPVS].join('\n'))).toEqual({
      sections: ['iptables-save:1-3', 'ipvsadm-list:4-8'],
      kinds: ['iptables', 'ipvs'],
      diagnostics: ["3:43 warning RC201 table 'nat' has no COMMIT: the dump ends before the table does (truncated?)"],
    });
  });

  it('says so when there is no dump at all, and not for empty input', () => {
    expect(summary('hello\nworld\n').diagnostics).toEqual([
      "1:1 note RC290 line 'hello' is not part of any dump rulec reads; skipped",
      "1:1 error RC291 no dump found: the text is none of iptables-save, ipvsadm-list, iptables-list, ipset-list, ipset-save, nft, ipvsadm-save, iptables-rules (use --format to name one)",
      "2:1 note RC290 line 'world' is not part of any dump rulec reads; skipped",
    ]);
    expect(summary('')).toEqual({ sections: [], kinds: [], diagnostics: [] });
  });

  it('reads the whole text as the format it is told, and refuses an unknown one', () => {
    const r = parseDump(['-N KUBE-SERVICES', '-A KUBE-SERVICES -j KUBE-SVC-X'].join('\n'), 'f', { format: 'iptables-rules', table: 'mangle' });
    expect(r.sections).toEqual([{ format: 'iptables-rules', firstLine: 1, lastLine: 2 }]);
    expect((r.ruleSets[0] as IptablesRuleSet).tables.map((t) => t.name)).toEqual(['mangle']);
    expect(parseDump('x', 'f', { format: 'pf' }).diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      `RC292 unknown format 'pf'; rulec reads ${formatIds().join(', ')}`,
    ]);
  });

  it('takes an iptables -S section from a pasted command, with its table', () => {
    const r = parseDump(['$ iptables -t nat -S KUBE-SERVICES', '-N KUBE-SERVICES', '-A KUBE-SERVICES -j RETURN'].join('\n'), 'f');
    expect(r.diagnostics).toEqual([]);
    expect(r.sections).toEqual([{ format: 'iptables-rules', firstLine: 1, lastLine: 3 }]);
    expect((r.ruleSets[0] as IptablesRuleSet).tables.map((t) => t.name)).toEqual(['nat']);
  });
});

describe('lines longer than any dump has', () => {
  const cases: [string, string, string][] = [
    ['ipset save', 'create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536\nadd KUBE-CLUSTER-IP 10.96.0.1,tcp:443\n', `add KUBE-CLUSTER-IP ${'10.96.0.1,tcp:443 '.repeat(300_000)}\n`],
    ['ipvsadm -S', '-A -t 10.96.0.1:443 -s rr\n-a -t 10.96.0.1:443 -r 192.168.0.10:6443 -m -w 1\n', `-a -t 10.96.0.1:443 -r ${'1'.repeat(9_000_000)}:6443 -m -w 1\n`],
    ['iptables -L', 'Chain KUBE-SERVICES (2 references)\ntarget     prot opt source               destination\nKUBE-SVC-NPX46M4PTMTKRN6Y  tcp  --  0.0.0.0/0            10.96.0.1            tcp dpt:443\n', `ACCEPT     tcp  --  0.0.0.0/0            0.0.0.0/0            ${'tcp flags:!SYNp '.repeat(300_000)}\n`],
  ];
  for (const [name, dump, long] of cases) {
    it(`${name}: skipped with RC205 at its line, quickly, and the rest read`, () => {
      const started = performance.now();
      const r = parseDump(dump + long, 'long.txt');
      expect(performance.now() - started).toBeLessThan(2_000);
      const line = dump.split('\n').length;
      expect(r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([
        `long.txt:${line}:1: error RC205: line is ${long.length - 1} characters long, longer than any dump line can be (limit 65536); skipped`,
      ]);
      expect(r.ruleSets.length).toBeGreaterThan(0);
    });
  }
});
