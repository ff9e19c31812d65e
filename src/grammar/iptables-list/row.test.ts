import { describe, expect, it } from 'vitest';
import { readAddress, readInterface } from './columns.js';
import { parseHeader, type Layout } from './lines.js';
import { splitRow, type RowColumns } from './row.js';

const layout = (header: string): Layout => {
  const l = parseHeader(header);
  if ('error' in l) throw new Error(l.error);
  return l;
};
const NV_LINES = layout('num   pkts bytes target     prot opt in     out     source               destination');
const NV = layout(' pkts bytes target     prot opt in     out     source               destination');
const N_LINES = layout('num  target     prot opt source               destination');
const N = layout('target     prot opt source               destination');

/** The columns as text, `-` for an empty one, and the match text. */
function cols(line: string, l: Layout): string[] | string {
  const r = splitRow(line, l);
  if ('error' in r) return `${r.error} @${r.at}`;
  const keys: (keyof RowColumns)[] = ['num', 'pkts', 'bytes', 'target', 'prot', 'opt', 'in', 'out', 'source', 'destination'];
  return [...keys.map((k) => (r[k] as { text: string } | undefined)?.text ?? '-'), line.slice(r.matchStart)];
}

describe('splitRow', () => {
  it('splits a full row', () => {
    expect(cols('1    44901 2694K KUBE-MARK-MASQ  6    --  *      *      !10.244.0.0/16        10.96.120.15         /* c */ tcp dpt:80', NV_LINES)).toEqual([
      '1', '44901', '2694K', 'KUBE-MARK-MASQ', '6', '--', '*', '*', '!10.244.0.0/16', '10.96.120.15', '/* c */ tcp dpt:80',
    ]);
    expect(cols('    0     0 ACCEPT    !6    -f  !eth0  eth1    0.0.0.0/0            0.0.0.0/0           ', NV)).toEqual([
      '-', '0', '0', 'ACCEPT', '!6', '-f', '!eth0', 'eth1', '0.0.0.0/0', '0.0.0.0/0', '',
    ]);
  });

  it('finds an empty target column in every layout', () => {
    expect(cols('2        0     0            0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* other */', NV_LINES)).toEqual([
      '2', '0', '0', '-', '0', '--', '*', '*', '0.0.0.0/0', '0.0.0.0/0', '/* other */',
    ]);
    expect(cols('2               all  --  anywhere             anywhere             /* other */', N_LINES)).toEqual([
      '2', '-', '-', '-', 'all', '--', '-', '-', 'anywhere', 'anywhere', '/* other */',
    ]);
    expect(cols('           0    --  0.0.0.0/0            0.0.0.0/0            /* other */', N)).toEqual([
      '-', '-', '-', '-', '0', '--', '-', '-', '0.0.0.0/0', '0.0.0.0/0', '/* other */',
    ]);
  });

  it('reads old ip6tables rows, which print no opt value, by the blanks of an empty target', () => {
    expect(cols('    0     0            all      *      *       ::/0                 ::/0                 /* x */', NV)).toEqual([
      '-', '0', '0', '-', 'all', '-', '*', '*', '::/0', '::/0', '/* x */',
    ]);
    expect(cols(' 120K 9846K KUBE-SERVICES  all      *      *       ::/0                 ::/0                 /* y */', NV)).toEqual([
      '-', '120K', '9846K', 'KUBE-SERVICES', 'all', '-', '*', '*', '::/0', '::/0', '/* y */',
    ]);
    expect(cols('           all      ::/0                 ::/0                 /* x */', N)).toEqual([
      '-', '-', '-', '-', 'all', '-', '-', '-', '::/0', '::/0', '/* x */',
    ]);
    expect(cols('DROP       tcp      ::/0                 fd00::1              tcp dpt:22', N)).toEqual([
      '-', '-', '-', 'DROP', 'tcp', '-', '-', '-', '::/0', 'fd00::1', 'tcp dpt:22',
    ]);
    expect(cols('1                all      ::/0                 ::/0', N_LINES)).toEqual([
      '1', '-', '-', '-', 'all', '-', '-', '-', '::/0', '::/0', '',
    ]);
  });

  it('reads listings pasted with tabs or an indent', () => {
    expect(cols('ACCEPT\ttcp\t--\t0.0.0.0/0\t0.0.0.0/0\ttcp dpt:22', N)).toEqual([
      '-', '-', '-', 'ACCEPT', 'tcp', '--', '-', '-', '0.0.0.0/0', '0.0.0.0/0', 'tcp dpt:22',
    ]);
  });

  it('says which column is missing, at the end of the row', () => {
    expect(cols('1        0     0 ACCEPT     0    --  *', NV_LINES)).toBe('out column missing @38');
    expect(cols('1        0     0 ACCEPT     0    --  *      *       0.0.0.0/0', NV_LINES)).toBe('destination column missing @61');
    expect(cols('1', NV_LINES)).toBe('pkts column missing @1');
    expect(cols('    --  0.0.0.0/0 0.0.0.0/0', N)).toBe('"--" where the protocol belongs @4');
  });
});

describe('address and interface columns', () => {
  it('drops "any" addresses and adds the host mask to bare addresses', () => {
    expect(readAddress('0.0.0.0/0')?.kind).toBe('none');
    expect(readAddress('::/0')?.kind).toBe('none');
    expect(readAddress('anywhere')?.kind).toBe('none');
    expect(readAddress('10.0.0.1')).toEqual({ kind: 'ipv4', negated: false, value: '10.0.0.1/32' });
    expect(readAddress('!10.244.0.0/16')).toEqual({ kind: 'ipv4', negated: true, value: '10.244.0.0/16' });
    expect(readAddress('10.0.0.0/255.0.255.0')).toEqual({ kind: 'ipv4', negated: false, value: '10.0.0.0/255.0.255.0' });
    expect(readAddress('fd00::1')).toEqual({ kind: 'ipv6', negated: false, value: 'fd00::1/128' });
    expect(readAddress('!::1')).toEqual({ kind: 'ipv6', negated: true, value: '::1/128' });
    expect(readAddress('2001:db8::/32')).toEqual({ kind: 'ipv6', negated: false, value: '2001:db8::/32' });
    expect(readAddress('!0.0.0.0/0')).toEqual({ kind: 'ipv4', negated: true, value: '0.0.0.0/0' });
  });

  it('keeps host names as printed and refuses what is no address', () => {
    expect(readAddress('kubernetes.default.svc.cluster.local')).toEqual({ kind: 'name', negated: false, value: 'kubernetes.default.svc.cluster.local' });
    expect(readAddress('link-local/16')).toEqual({ kind: 'name', negated: false, value: 'link-local/16' });
    expect(readAddress('10.0.0.1/99')).toBeUndefined();
    expect(readAddress('fd00::/200')).toBeUndefined();
    expect(readAddress('/*')).toBeUndefined();
    expect(readAddress('a:b:zz')).toBeUndefined();
  });

  it('reads interfaces', () => {
    expect(readInterface('*')).toEqual({ negated: false });
    expect(readInterface('any')).toEqual({ negated: false });
    expect(readInterface('!docker0')).toEqual({ negated: true, name: 'docker0' });
    expect(readInterface('cali+')).toEqual({ negated: false, name: 'cali+' });
  });
});
