import { describe, expect, it } from 'vitest';
import { LARGE_INPUT_BYTES, largePagesEnvironment, type RelaunchFacts } from './large-pages.js';

const MADVISE = 'always [madvise] never\n';

function facts(over: Partial<RelaunchFacts> = {}): RelaunchFacts {
  const sizes: Record<string, number> = { 'big.json': LARGE_INPUT_BYTES, 'small.yaml': 1000, 'old-out.iptables': LARGE_INPUT_BYTES, '-': LARGE_INPUT_BYTES };
  return { platform: 'linux', env: { PATH: '/bin' }, args: ['compile', 'big.json'], thpSetting: () => MADVISE, fileSize: (p) => sizes[p], inspectorActive: () => false, ...over };
}

describe('largePagesEnvironment', () => {
  it('asks glibc for huge pages for a large input, keeping the rest of the environment', () => {
    expect(largePagesEnvironment(facts())).toEqual({ PATH: '/bin', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' });
    expect(largePagesEnvironment(facts({ env: { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' } }))).toEqual({
      GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1',
    });
  });

  it('adds up the inputs, standard input among them, and leaves out the output file and options', () => {
    const small = ['compile', 'small.yaml'];
    expect(largePagesEnvironment(facts({ args: small }))).toBeUndefined();
    expect(largePagesEnvironment(facts({ args: [...small, '-o', 'old-out.iptables'] }))).toBeUndefined();
    expect(largePagesEnvironment(facts({ args: [...small, '--output', 'old-out.iptables', '--family', 'ipv6'] }))).toBeUndefined();
    expect(largePagesEnvironment(facts({ args: ['compile', '-'] }))).toBeDefined();
    const justUnder = facts({ args: ['lint', 'a', 'b'], fileSize: (p) => (p === 'a' ? LARGE_INPUT_BYTES - 2 : p === 'b' ? 1 : undefined) });
    expect(largePagesEnvironment(justUnder)).toBeUndefined();
    expect(largePagesEnvironment({ ...justUnder, args: ['lint', 'a', 'b', 'b'] })).toBeDefined();
  });

  it('runs trace and explain --chain in this process: they read only the chains they need', () => {
    const dump = (p: string) => (p === 'node.iptables-save' ? LARGE_INPUT_BYTES : undefined);
    expect(largePagesEnvironment(facts({ args: ['trace', 'node.iptables-save', '--dst', '10.0.0.1:80'], fileSize: dump }))).toBeUndefined();
    expect(largePagesEnvironment(facts({ args: ['explain', 'node.iptables-save', '--chain', 'KUBE-SERVICES'], fileSize: dump }))).toBeUndefined();
    expect(largePagesEnvironment(facts({ args: ['explain', 'node.iptables-save', '--chain=KUBE-SERVICES'], fileSize: dump }))).toBeUndefined();
    expect(largePagesEnvironment(facts({ args: ['explain', 'node.iptables-save'], fileSize: dump }))).toBeDefined();
    expect(largePagesEnvironment(facts({ args: ['explain', 'node.iptables-save', '--chain', 'X', '--line', '4'], fileSize: dump }))).toBeDefined();
    // Manifests are compiled whole: a large cluster still gains from the child.
    expect(largePagesEnvironment(facts({ args: ['trace', 'big.json', '--dst', '10.0.0.1:80'] }))).toBeDefined();
  });

  it('runs in this process when huge pages are not the kernel’s on-request setting, off Linux, under a debugger, or when told', () => {
    expect(largePagesEnvironment(facts({ thpSetting: () => '[always] madvise never\n' }))).toBeUndefined();
    expect(largePagesEnvironment(facts({ thpSetting: () => 'always madvise [never]\n' }))).toBeUndefined();
    expect(largePagesEnvironment(facts({ thpSetting: () => undefined }))).toBeUndefined();
    expect(largePagesEnvironment(facts({ platform: 'darwin' }))).toBeUndefined();
    expect(largePagesEnvironment(facts({ env: { RULEC_LARGE_PAGES: '0' } }))).toBeUndefined();
    // A debugger attached here would never see the command run.
    expect(largePagesEnvironment(facts({ inspectorActive: () => true, env: { RULEC_LARGE_PAGES: '1' } }))).toBeUndefined();
  });

  it('never starts a child from the child, and starts one for any input when told', () => {
    expect(largePagesEnvironment(facts({ env: { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' } }))).toBeUndefined();
    expect(largePagesEnvironment(facts({ env: { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' } }))).toBeUndefined();
    expect(largePagesEnvironment(facts({ args: ['compile', 'small.yaml'], env: { RULEC_LARGE_PAGES: '1' } }))).toEqual({
      RULEC_LARGE_PAGES: '1',
      GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1',
    });
  });
});
