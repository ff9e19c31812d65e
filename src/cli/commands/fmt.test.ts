import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';
import { vectors } from '../../../test/support/vectors.js';

const DUMPS = 'test/fixtures/dumps';

describe('rulec fmt', () => {
  it('gives every iptables conformance vector back byte for byte: compile | fmt', async () => {
    const list = vectors('iptables');
    expect(list.length).toBeGreaterThan(20);
    let checked = 0;
    for (const v of list) {
      for (const [ext, path] of Object.entries(v.expected)) {
        if (ext !== 'iptables' && ext !== 'ip6tables') continue;
        const compiled = await runCli(['compile', v.input, ...v.flags, ...(ext === 'ip6tables' ? ['--family', 'ipv6'] : [])]);
        expect(compiled.code, `${v.name}: ${compiled.stderr}`).toBe(0);
        const formatted = await runCli(['fmt', '-'], compiled.stdout);
        expect(formatted.stderr, v.name).toBe('');
        expect(formatted.stdout, v.name).toBe(compiled.stdout);
        // The expected text itself is canonical, whatever the compiler does.
        const expected = readFileSync(path, 'utf8');
        expect((await runCli(['fmt', '--check', path])).code, `${v.name} ${ext}`).toBe(0);
        expect((await runCli(['fmt', '-'], expected)).stdout).toBe(expected);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('gives the IPVS vectors ipvsadm and ipset text back: compile --mode ipvs | fmt', async () => {
    let checked = 0;
    for (const v of vectors('ipvs')) {
      for (const emit of ['ipvsadm', 'ipset']) {
        const compiled = await runCli(['compile', '--mode', 'ipvs', '--emit', emit, v.input, ...v.flags]);
        if (compiled.code !== 0 || compiled.stdout === '') continue;
        const formatted = await runCli(['fmt', '-'], compiled.stdout);
        expect(formatted.stdout, `${v.name} ${emit}`).toBe(compiled.stdout);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('prints a dump in canonical order, counters kept, header comments dropped', async () => {
    const r = await runCli(['fmt', join(DUMPS, 'iptables/kube-node.save')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('*'))).toEqual(['*filter', '*mangle', '*nat', '*raw']);
    expect(lines.some((l) => l.startsWith('#'))).toBe(false);
    const nat = lines.slice(lines.indexOf('*nat'));
    expect(nat.slice(1, 4)).toEqual([':KUBE-NODEPORTS - [0:0]', ':KUBE-SERVICES - [0:0]', ':KUBE-EXT-CDGGSHYLG3RE2FKL - [0:0]']);
    expect(lines).toContain('[0:0] -A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP');
    // Canonical text is a fixed point.
    expect((await runCli(['fmt', '-'], r.stdout)).stdout).toBe(r.stdout);
    expect((await runCli(['fmt', '--check', '-'], r.stdout)).code).toBe(0);
  });

  it('prints iptables -S text as iptables -S text', async () => {
    const r = await runCli(['fmt', join(DUMPS, 'iptables/nat-kube-services.rules')]);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      '-N KUBE-SERVICES',
      '-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y',
      '-A KUBE-SERVICES -d 10.96.12.34/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL',
    ]);
  });

  it('--check names a file that is not canonical and exits 1; prints nothing for one that is', async () => {
    const file = join(DUMPS, 'iptables/odd-comments.save');
    expect(await runCli(['fmt', '--check', file])).toEqual({ code: 1, stdout: `${file}: not canonical\n`, stderr: '' });
    expect(await runCli(['fmt', '--check', '-'], '*nat\n:X - [0:0]\n-A X -j RETURN\nCOMMIT\n')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('normalises spacing, quoting, negation and keeps rulec-ignore-next-line', async () => {
    const r = await runCli(['fmt', '-'], "*filter\n:X - [0:0]\n# rulec-ignore-next-line a,b\n-A X  -s ! 10.0.0.0/8   -m comment --comment 'x y' -j ACCEPT\nCOMMIT\n");
    expect(r.stdout).toBe('*filter\n:X - [0:0]\n# rulec-ignore-next-line a, b\n-A X ! -s 10.0.0.0/8 -m comment --comment "x y" -j ACCEPT\nCOMMIT\n');
  });

  it('prints each dump of a pasted file in turn, and exits 2 on errors with nothing on stdout', async () => {
    const both = await runCli(['fmt', '-'], '*nat\nCOMMIT\n-A -t 10.0.0.1:80 -s rr\n');
    expect(both).toEqual({ code: 0, stdout: '*nat\nCOMMIT\n-A -t 10.0.0.1:80 -s rr\n', stderr: '' });
    const bad = await runCli(['fmt', '-'], '*nat\n-A X -j\nCOMMIT\n');
    expect(bad).toEqual({ code: 2, stdout: '', stderr: "<stdin>:2:6: error RC208: '-j' needs a target\n" });
  });
});
