import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canRunKernel, inNamespace } from '../../test/support/kernel.js';
import { clusterArb, toObjects, yamlStream, type GeneratedCluster, type Obj } from '../../test/support/generated-cluster.js';
import { runCli } from '../../test/support/run-cli.js';
import { vectors } from '../../test/support/vectors.js';
import { loadCluster } from '../compiler/index.js';
import { compileNftables } from '../compiler/nftables/index.js';
import type { NftRuleSet } from './nft-types.js';
import { printNft } from './print-nft.js';
import { printNftListed } from './print-nft-listed.js';

/**
 * `--as-listed` against the real thing: compiled text is loaded with `nft -f` inside a private
 * network namespace (`unshare -n`) and listed with `nft list`; the listing must equal the printed
 * one byte for byte.
 */

const ready = canRunKernel('nft');

const FAMILIES = ['ipv4', 'ipv6'] as const;

describe.skipIf(!ready)('nft list table equals --as-listed', () => {
  const cases = ['nftables', 'iptables', 'ipvs'].flatMap((mode) =>
    vectors(mode).flatMap((v) =>
      FAMILIES.map((family) => ({ name: `${mode}/${v.name} (${family})`, args: ['--mode', 'nftables', '--family', family, ...(mode === 'nftables' ? v.flags : []), v.input] })),
    ),
  );

  const forms = join(import.meta.dirname, '../../test/fixtures/nft-listed/address-forms.yaml');
  for (const family of FAMILIES) cases.push({ name: `address forms (${family})`, args: ['--mode', 'nftables', '--family', family, forms] });
  const GOLDEN = join(import.meta.dirname, '../../test/golden');
  for (const d of readdirSync(GOLDEN, { withFileTypes: true })) {
    if (!d.isDirectory() || !existsSync(join(GOLDEN, d.name, 'expected.nft'))) continue;
    cases.push({ name: `golden ${d.name}`, args: readFileSync(join(GOLDEN, d.name, 'args'), 'utf8').trim().split(/\s+/) });
  }

  it('holds the conformance vectors', () => {
    expect(cases.filter((c) => c.name.startsWith('nftables/')).length).toBeGreaterThanOrEqual(8);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const written = await runCli(['compile', ...c.args]);
      const listed = await runCli(['compile', '--as-listed', ...c.args]);
      expect(written.stderr + listed.stderr).toBe('');
      const table = written.stdout.startsWith('add table ip6 ') ? 'ip6 kube-proxy' : 'ip kube-proxy';
      const r = inNamespace(`nft -f - && nft list table ${table}`, written.stdout);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(listed.stdout).toBe(r.stdout);
    });
  }
});

describe.skipIf(!ready)('nft list ruleset equals --family dual --as-listed', () => {
  const inputs = [
    ...vectors('nftables').map((v) => ({ name: `nftables/${v.name}`, args: [...v.flags, v.input] })),
    { name: 'address forms', args: [join(import.meta.dirname, '../../test/fixtures/nft-listed/address-forms.yaml')] },
    { name: 'examples/dual-stack', args: [join(import.meta.dirname, '../../examples/dual-stack')] },
  ];
  for (const c of inputs) {
    it(c.name, async () => {
      const args = ['compile', '--mode', 'nftables', '--family', 'dual', ...c.args];
      const written = await runCli(args);
      const listed = await runCli([...args, '--as-listed']);
      expect(written.stderr + listed.stderr).toBe('');
      expect(listed.stdout.match(/^table \S+ kube-proxy \{$/gm)).toEqual(['table ip kube-proxy {', 'table ip6 kube-proxy {']);
      const r = inNamespace('nft -f - && nft list ruleset', written.stdout);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(listed.stdout).toBe(r.stdout);
    });
  }
});

/** A generated cluster moved to IPv6: every IPv4 address `a.b.c.d` becomes `fd00::a:b:c:d`. */
function toIpv6(docs: Obj[]): Obj[] {
  const text = JSON.stringify(docs)
    .replace(/\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?\b/g, (_m, a, b, c, d, len) => `fd00::${a}:${b}:${c}:${d}${len === undefined ? '' : `/${96 + Number(len)}`}`)
    .replaceAll('"IPv4"', '"IPv6"');
  return JSON.parse(text) as Obj[];
}

function compiled(docs: Obj[], family: 'ipv4' | 'ipv6', table: string): NftRuleSet {
  const { cluster, settings, diagnostics } = loadCluster(['-'], { mode: 'nftables', family }, () => yamlStream(docs));
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { ...compileNftables(cluster, settings), table };
}

/** A listing cut into its tables, by name, so a difference names its cluster. */
function tables(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of text.split(/^(?=table )/m)) out.set(/^table (\S+ \S+)/.exec(block)?.[1] ?? '?', block);
  return out;
}

describe.skipIf(!ready)('nft list ruleset equals --as-listed for generated clusters', () => {
  const CLUSTERS = 240;
  const BATCH = 40;
  const clusters: GeneratedCluster[] = fc.sample(clusterArb, { numRuns: CLUSTERS, seed: 20261207 });

  for (let start = 0; start < CLUSTERS; start += BATCH) {
    it(`clusters ${start}-${start + BATCH - 1}, both families, in one namespace`, () => {
      const ruleSets: NftRuleSet[] = [];
      clusters.slice(start, start + BATCH).forEach((c, i) => {
        const docs = toObjects(c);
        ruleSets.push(compiled(docs, 'ipv4', `kp${start + i}`));
        ruleSets.push(compiled(toIpv6(docs), 'ipv6', `kp${start + i}`));
      });
      expect(ruleSets.filter((rs) => rs.family === 'ip6' && rs.sets.some((s) => s.elements.length > 0)).length).toBeGreaterThan(BATCH / 2);
      const r = inNamespace('nft -f - && nft list ruleset', ruleSets.map(printNft).join(''));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const want = tables(printNftListed(ruleSets));
      const got = tables(r.stdout);
      expect([...got.keys()]).toEqual([...want.keys()]);
      for (const [name, text] of want) expect({ name, text: got.get(name) }).toEqual({ name, text });
    });
  }
});

const rule = (text: string, comment?: string) => ({ words: text.split(' '), ...(comment === undefined ? {} : { comment }) });

/** Models beyond what kube-proxy writes today: every form the printer knows, checked the same way. */
const EDGE_CASES: NftRuleSet[] = [
  {
    kind: 'nft',
    origin: 'compiled',
    fidelity: 'exact',
    family: 'ip',
    table: 'edge4',
    tableComment: 'edge cases',
    chains: [
      { name: 'pre-raw', base: { type: 'filter', hook: 'prerouting', priority: -300 }, rules: [] },
      { name: 'pre-mangle', base: { type: 'filter', hook: 'prerouting', priority: -155 }, comment: 'both', rules: [] },
      { name: 'pre-dstnat', base: { type: 'nat', hook: 'prerouting', priority: -90 }, rules: [rule('jump empty')] },
      { name: 'out-dstnat', base: { type: 'nat', hook: 'output', priority: -100 }, rules: [] },
      { name: 'in-srcnat', base: { type: 'nat', hook: 'input', priority: 105 }, rules: [] },
      { name: 'post-srcnat', base: { type: 'nat', hook: 'postrouting', priority: 100 }, rules: [] },
      { name: 'fwd-security', base: { type: 'filter', hook: 'forward', priority: 45 }, rules: [] },
      { name: 'fwd-filter', base: { type: 'filter', hook: 'forward', priority: 10 }, rules: [] },
      { name: 'empty', rules: [] },
      {
        name: 'target',
        comment: 'helper',
        rules: [
          rule('mark set mark or 0x80000000'),
          rule('mark and 0x1 == 0 return'),
          rule('meta mark and 0x10 != 0 accept'),
          rule('ct mark 16384 accept'),
          rule('mark set mark xor 0x4000', 'a comment'),
          rule('ip saddr != { 10.0.0.1 , 10.0.0.2 , 10.0.0.1 } drop'),
          rule('ip saddr != { 10.0.0.1/32 , 10.0.0.2 } drop'),
          rule('ip saddr != { 5.6.7.9 , 5.6.7.8 , 203.0.113.0/24 , 10.0.0.0/8 , 10.1.2.3 } drop'),
          rule('ip saddr != { 192.168.1.0/24 , 192.168.0.0/24 , 192.168.2.0/24 } drop'),
          rule('ip saddr != { 203.0.113.0/24 , 203.0.113.0/24 } drop'),
          rule('ip saddr != { 0.0.0.0/0 , 5.6.7.8 } drop'),
          rule('ip daddr { 10.96.0.0/12,172.30.0.0/16 } drop'),
          rule('ip daddr { 10.96.0.0/12 } drop'),
          rule('ip daddr 10.0.0.1/32 ip saddr != 10.0.0.0/8 jump empty'),
          rule('iifname cbr0 goto empty'),
          rule('iifname != "veth*" goto empty'),
          rule('iifname != "@x" goto empty'),
          rule(`numgen random mod 12 vmap { ${Array.from({ length: 12 }, (_, i) => `${i} : goto empty`).join(' , ')} }`),
          rule('meta l4proto udp dnat to 10.0.0.1:53'),
          rule('update @dynamic-timeout { ip saddr }'),
          rule('ip saddr @dynamic-timeout goto empty'),
          rule('fib saddr type local jump empty', 'local'),
          rule('ct state new jump empty'),
          rule('masquerade fully-random'),
          rule('reject'),
        ],
      },
    ],
    sets: [
      { name: 'plain', kind: 'set', type: 'ipv4_addr', elements: ['10.0.0.3', '9.0.0.2', '10.0.0.1', '1.0.0.200', '10.0.0.2'].map((k) => ({ key: [k] })) },
      { name: 'empty-set', kind: 'set', type: 'ipv4_addr', comment: 'nothing', elements: [] },
      { name: 'commented', kind: 'set', type: 'ipv4_addr', elements: [{ key: ['10.0.0.2'], comment: 'b' }, { key: ['10.0.0.1'], comment: 'a' }] },
      { name: 'ports', kind: 'set', type: 'inet_service', elements: [443, 80, 8080, 22, 53, 1, 65535, 3000].map((p) => ({ key: [String(p)] })) },
      { name: 'timeout-only', kind: 'set', type: 'ipv4_addr', flags: ['timeout'], timeout: 60, comment: 'c', elements: [] },
      { name: 'dynamic-timeout', kind: 'set', type: 'ipv4_addr', flags: ['dynamic', 'timeout'], timeout: 90061, elements: [] },
      { name: 'dynamic-only', kind: 'set', type: 'ipv4_addr', flags: ['dynamic'], elements: [] },
      { name: 'ranges', kind: 'set', type: 'ipv4_addr', flags: ['interval'], elements: [{ key: ['10.0.1.0/24'] }, { key: ['10.0.0.0/24'] }, { key: ['9.9.9.9'] }] },
      {
        name: 'proto-ports',
        kind: 'map',
        type: 'inet_proto . inet_service : verdict',
        elements: [
          { key: ['tcp', '80'], value: 'goto empty' },
          { key: ['udp', '80'], value: 'goto empty' },
          { key: ['tcp', '81'], value: 'drop' },
          { key: ['sctp', '256'], comment: 'x', value: 'goto empty' },
          { key: ['tcp', '1'], value: 'goto empty' },
        ],
      },
      {
        name: 'addr-proto-ports',
        kind: 'map',
        type: 'ipv4_addr . inet_proto . inet_service : verdict',
        elements: [
          { key: ['172.30.0.46', 'tcp', '80'], value: 'drop' },
          { key: ['1.2.3.4', 'tcp', '80'], value: 'drop' },
          { key: ['192.168.99.22', 'udp', '53'], comment: 'ns/svc:dns', value: 'goto empty' },
          { key: ['1.2.3.5', 'tcp', '80'], value: 'drop' },
        ],
      },
    ],
  },
  {
    kind: 'nft',
    origin: 'compiled',
    fidelity: 'exact',
    family: 'ip6',
    table: 'edge6',
    chains: [
      {
        name: 'rules',
        rules: [
          rule('ip6 saddr != { fd00::/64 , 2001:db8::1 , 2001:db8::2 , 2001:db8::3 , ::ffff:1.2.3.4 } drop'),
          rule('ip6 saddr != { fd00::/127 , fd00::2/127 , fd00::4 } drop'),
          rule('ip6 saddr != { fd00:0:0:0:1::/80 , 1::/16 } drop'),
          rule('ip6 saddr != { fd00::2 , fd00::1 } drop'),
          rule('ip6 daddr != ::1 ip6 saddr fd00:10::/64 meta l4proto tcp dnat to [fd00:10::5]:8080'),
          rule('ip6 daddr fd00::1/128 reject'),
          rule('ip6 daddr { fd00:172::/112 } drop'),
        ],
      },
    ],
    sets: [
      { name: 'addrs', kind: 'set', type: 'ipv6_addr', elements: ['fd00::2', 'fd00::1', '2001:db8:0:0:1:0:0:1', '::1.2.3.4', '::ffff:10.0.0.1'].map((k) => ({ key: [k] })) },
      {
        name: 'services',
        kind: 'map',
        type: 'ipv6_addr . inet_proto . inet_service : verdict',
        elements: [
          { key: ['fd00::1', 'tcp', '80'], value: 'accept' },
          { key: ['fd00::1:0', 'tcp', '80'], value: 'accept' },
          { key: ['fd00::2', 'tcp', '80'], value: 'drop' },
        ],
      },
    ],
  },
];

describe.skipIf(!ready)('nft list ruleset equals the listed print of hand-written models', () => {
  it('every form the printer knows, in both families, tables in the order they were created', () => {
    const r = inNamespace('nft -f - && nft list ruleset', EDGE_CASES.map(printNft).join(''));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(printNftListed(EDGE_CASES)).toBe(r.stdout);
  });
});

describe.skipIf(!ready)('nft list ruleset equals --as-listed for interface names of every shape', () => {
  const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: NodePort, clusterIP: 172.30.0.10, externalTrafficPolicy: Local, ports: [{name: http, port: 80, nodePort: 30080}]}\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-1, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nports: [{name: http, port: 8080}]\nendpoints: [{addresses: [10.0.1.5]}]\n';
  const names = ['eth0', 'eth0.100', 'veth-a_b', '@pwn', '0x10', 'accept', 'a-j', 'x!', 'icmpv6', 'rt0', '#x', 'a;b', '{x}', '$v', 'x'.repeat(15)];
  it('bridge interfaces and interface prefixes, one table each', () => {
    const ruleSets: NftRuleSet[] = [];
    names.forEach((name, i) => {
      for (const [mode, field, value] of [
        ['BridgeInterface', 'bridgeInterface', name],
        ['InterfaceNamePrefix', 'interfaceNamePrefix', name.slice(0, 14)],
      ] as const) {
        const cfg = `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\ndetectLocalMode: ${mode}\ndetectLocal: {${field}: ${JSON.stringify(value)}}\n---\n`;
        const { cluster, settings, diagnostics } = loadCluster(['-'], { mode: 'nftables' }, () => cfg + svc);
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        ruleSets.push({ ...compileNftables(cluster, settings), table: `${mode === 'BridgeInterface' ? 'bridge' : 'prefix'}${i}` });
      }
    });
    const r = inNamespace('nft -f - && nft list ruleset', ruleSets.map(printNft).join(''));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const listed = printNftListed(ruleSets);
    expect(listed).toContain('iifname != "a;b*" jump mark-for-masquerade');
    expect(listed).toBe(r.stdout);
  });
});
