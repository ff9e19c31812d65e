import { describe, expect, it } from 'vitest';
import { isHeaderLike, parseChainLine, parseCommandLine, parseHeader } from './lines.js';

describe('parseChainLine', () => {
  it('reads built-in chains with and without counters, and user chains', () => {
    expect(parseChainLine('Chain INPUT (policy ACCEPT 1859K packets, 2345M bytes)')).toEqual({
      name: 'INPUT',
      policy: 'ACCEPT',
      builtin: true,
      packets: '1859K',
      bytes: '2345M',
      packetsAt: 27,
      bytesAt: 42,
    });
    expect(parseChainLine('Chain FORWARD (policy DROP)')).toEqual({ name: 'FORWARD', policy: 'DROP', builtin: true });
    expect(parseChainLine('Chain KUBE-SERVICES (2 references)')).toEqual({ name: 'KUBE-SERVICES', policy: '-', builtin: false });
    expect(parseChainLine('Chain KUBE-KUBELET-CANARY (0 references)')).toEqual({
      name: 'KUBE-KUBELET-CANARY',
      policy: '-',
      builtin: false,
    });
    expect(parseChainLine('Chain X (ERROR obtaining refs)')).toEqual({ name: 'X', policy: '-', builtin: false });
  });

  it('says what is wrong with a malformed chain line', () => {
    expect(parseChainLine('Chain')).toEqual({ error: 'chain name missing' });
    expect(parseChainLine('Chain FOO')).toEqual({
      error: 'expected "(policy …)" or "(N references)" after the chain name',
      name: 'FOO',
    });
    expect(parseChainLine('Chain FOO (policy ACCEPT 5 packets)')).toEqual({
      error: 'expected "policy ACCEPT N packets, M bytes"',
      name: 'FOO',
    });
    expect(parseChainLine('Chain FOO (two references)')).toEqual({
      error: 'expected "(policy …)" or "(N references)" after the chain name',
      name: 'FOO',
    });
  });
});

describe('parseHeader', () => {
  it('reads every column layout iptables prints', () => {
    const cases: [string, object][] = [
      ['num   pkts bytes target     prot opt in     out     source               destination         ', { num: true, counters: true, opt: true, via: true }],
      [' pkts bytes target     prot opt in     out     source               destination', { num: false, counters: true, opt: true, via: true }],
      ['    pkts      bytes target     prot opt in     out     source               destination', { num: false, counters: true, via: true }],
      ['target     prot opt source               destination         ', { num: false, counters: false, opt: true, via: false }],
      ['num  target     prot opt source               destination', { num: true, counters: false, via: false }],
    ];
    for (const [line, layout] of cases) expect(parseHeader(line), line).toMatchObject(layout);
    expect(parseHeader('    target prot opt source destination')).toMatchObject({ indent: 4 });
  });

  it('says what is wrong with a malformed header', () => {
    expect(parseHeader('target prot opt source')).toEqual({ error: 'expected "source destination"' });
    expect(parseHeader('pkts target prot opt source destination')).toEqual({ error: 'expected "bytes" after "pkts"' });
    expect(parseHeader('target prot opt source destination extra')).toEqual({ error: 'unexpected "extra" after "destination"' });
    expect(parseHeader('num prot opt source destination')).toEqual({ error: 'expected "target prot"' });
  });

  it('tells header-like lines from rows', () => {
    expect(isHeaderLike('target     prot opt source               destination')).toBe(true);
    expect(isHeaderLike('num  target prot')).toBe(true);
    expect(isHeaderLike('target     0    --  0.0.0.0/0            0.0.0.0/0')).toBe(false);
    expect(isHeaderLike('1    ACCEPT  0  --  0.0.0.0/0  0.0.0.0/0')).toBe(false);
  });
});

describe('parseCommandLine', () => {
  it('reads pasted listing commands with prompts, sudo and grouped options', () => {
    expect(parseCommandLine('root@kind-worker:/# iptables -t nat -L -n -v --line-numbers')).toEqual({
      family: 'ipv4',
      table: 'nat',
      numeric: true,
      verbose: true,
      exact: false,
      lineNumbers: true,
    });
    expect(parseCommandLine('$ sudo ip6tables -nvxL KUBE-SERVICES -t nat')).toEqual({
      family: 'ipv6',
      chain: 'KUBE-SERVICES',
      table: 'nat',
      numeric: true,
      verbose: true,
      exact: true,
      lineNumbers: false,
    });
    expect(parseCommandLine('[root@node ~]# /usr/sbin/iptables-legacy -tmangle --list')).toMatchObject({ table: 'mangle', family: 'ipv4' });
    expect(parseCommandLine('iptables -L -n | grep KUBE')).toMatchObject({ numeric: true });
    expect(parseCommandLine('iptables --table=raw --list --numeric')).toMatchObject({ table: 'raw', numeric: true });
  });

  it('ignores commands that are not listings, and text that only mentions iptables', () => {
    expect(parseCommandLine('iptables-save -t nat')).toBeUndefined();
    expect(parseCommandLine('iptables -t nat -S')).toBeUndefined();
    expect(parseCommandLine('the iptables -L output below')).toBeUndefined();
    expect(parseCommandLine('ACCEPT all -- 0.0.0.0/0 0.0.0.0/0 /* iptables -L */')).toBeUndefined();
  });
});
