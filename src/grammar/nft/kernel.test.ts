import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NftRuleSet } from '../../ast/nft-types.js';
import { nftNormalForm } from '../../ast/nft-normal-form.js';
import { printNft } from '../../ast/print-nft.js';
import { loadCluster } from '../../compiler/index.js';
import { compileNftables } from '../../compiler/nftables/index.js';
import type { IpFamily } from '../../kube/ip.js';
import { canRunKernel, haveTool, inNamespace } from '../../../test/support/kernel.js';
import { clusterArb, toObjects, yamlStream } from '../../../test/support/generated-cluster.js';
import { vectors } from '../../../test/support/vectors.js';
import { parseNft } from './index.js';

/**
 * Compiled rules are loaded for real with `nft -f` in a private network namespace and listed
 * with `nft list ruleset` and `nft -a list ruleset`; each listing, read back, equals the
 * compiled model in normal form, for both families.
 */

const SEPARATOR = '=====';

function compile(paths: string[], family: IpFamily, read: () => string = () => ''): NftRuleSet {
  const { cluster, settings, diagnostics } = loadCluster(paths, { mode: 'nftables', family }, read);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compileNftables(cluster, settings);
}

function listingsOf(model: NftRuleSet): string[] {
  const r = inNamespace(`nft -f - && nft list ruleset && echo ${SEPARATOR} && nft -a list ruleset`, printNft(model));
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.split(`${SEPARATOR}\n`);
}

function expectListedAsCompiled(model: NftRuleSet): void {
  const listings = listingsOf(model);
  expect(listings).toHaveLength(2);
  listings.forEach((listing, k) => {
    const r = parseNft(listing, 'listing');
    expect(r.diagnostics).toEqual([]);
    expect(r.ruleSets).toHaveLength(1);
    const parsed = r.ruleSets[0] as NftRuleSet;
    expect(nftNormalForm(parsed)).toEqual(nftNormalForm({ ...model, origin: 'nft' }));
    // `nft -a` shows a handle for the table, every chain, set and rule.
    const handles = [parsed.handle, ...parsed.chains.map((c) => c.handle), ...parsed.sets.map((s) => s.handle), ...parsed.chains.flatMap((c) => c.rules.map((x) => x.handle))];
    if (k === 1) expect(handles.every((h) => typeof h === 'number' && h > 0)).toBe(true);
    else expect(handles.every((h) => h === undefined)).toBe(true);
  });
}

describe.skipIf(!canRunKernel('nft'))('nft list reads back to the compiled model', () => {
  for (const mode of ['nftables', 'iptables', 'ipvs']) {
    for (const v of vectors(mode)) {
      for (const family of ['ipv4', 'ipv6'] as const) {
        it(`${mode}/${v.name} (${family})`, () => expectListedAsCompiled(compile([v.input], family)));
      }
    }
  }

  it('generated clusters, both families', () => {
    fc.assert(
      fc.property(clusterArb, fc.constantFrom<IpFamily>('ipv4', 'ipv6'), (c, family) => {
        const yaml = yamlStream(toObjects(c));
        expectListedAsCompiled(compile(['-'], family, () => yaml));
      }),
      { numRuns: 15, seed: 7 },
    );
  });

  it.skipIf(!haveTool('iptables-nft-restore'))('a listing that also shows iptables-nft tables and counters (nft -a, nft -s)', () => {
    const model = compile([vectors('nftables')[0]?.input as string], 'ipv4');
    const save = ['*nat', ':PREROUTING ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]', ':KUBE-SVC-X - [0:0]', '-A PREROUTING -j KUBE-SERVICES', '-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m tcp --dport 443 -j KUBE-SVC-X', '-A KUBE-SVC-X -p tcp -j DNAT --to-destination 10.0.0.1:6443', 'COMMIT', ''].join('\n');
    const r = inNamespace(`iptables-nft-restore <<'EOF'\n${save}EOF\nnft -f - && nft -a list ruleset 2>&1 && echo ${SEPARATOR} && nft -s list ruleset 2>&1`, printNft(model));
    expect(r.status).toBe(0);
    const [withCounters, stateless] = r.stdout.split(`${SEPARATOR}\n`) as [string, string];
    for (const listing of [withCounters, stateless]) {
      const parsed = parseNft(listing, 'listing');
      expect(parsed.diagnostics).toEqual([]);
      expect(parsed.ruleSets.map((rs) => `${rs.family} ${rs.table}`)).toEqual(['ip nat', 'ip kube-proxy']);
      const nat = parsed.ruleSets[0] as NftRuleSet;
      expect(nat.chains.map((c) => [c.name, c.base?.priority, c.rules.map((x) => x.words.join(' '))])).toEqual([
        ['PREROUTING', -100, ['counter jump KUBE-SERVICES']],
        ['KUBE-SERVICES', undefined, ['ip daddr 10.96.0.1 tcp dport 443 counter jump KUBE-SVC-X']],
        ['KUBE-SVC-X', undefined, ['meta l4proto tcp counter dnat to 10.0.0.1:6443']],
      ]);
      const counters = nat.chains.flatMap((c) => c.rules.map((x) => x.counters));
      expect(counters).toEqual(listing === withCounters ? [{ packets: 0, bytes: 0 }, { packets: 0, bytes: 0 }, { packets: 0, bytes: 0 }] : [undefined, undefined, undefined]);
      expect(nftNormalForm(parsed.ruleSets[1] as NftRuleSet)).toEqual(nftNormalForm({ ...model, origin: 'nft' }));
    }
  });

  it('tables of other families and shapes print back (fmt) to text that loads to the same listing', () => {
    const text = [
      'table inet filter {',
      '\tset blocked { type ipv4_addr; flags interval; size 1024; elements = { 10.0.0.0/8, 192.168.1.1 } }',
      '\tmap ports { type inet_service : verdict; elements = { 22 : accept, 80 : drop } }',
      // Chains in printNft's order (by name), so that both loads list them alike.
      '\tchain forward { type filter hook forward priority security; }',
      '\tchain input { type filter hook input priority filter + 5; policy drop; ip saddr @blocked counter drop; tcp dport vmap @ports; iifname "lo" accept comment "loopback"; }',
      '}',
      'table netdev edge { chain in { type filter hook ingress device "lo" priority -500; policy accept; }; }',
      'table bridge br { chain pre { type filter hook prerouting priority dstnat; }; }',
      '',
    ].join('\n');
    const first = inNamespace('nft -f - && nft list ruleset', text);
    expect(first.stderr).toBe('');
    const parsed = parseNft(first.stdout, 'listing');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.ruleSets.map((rs) => `${rs.family} ${rs.table}`)).toEqual(['inet filter', 'netdev edge', 'bridge br']);
    const input = parsed.ruleSets[0]?.chains.find((c) => c.name === 'input');
    expect(input?.base).toEqual({ type: 'filter', hook: 'input', priority: 5, policy: 'drop' });
    expect(parsed.ruleSets[2]?.chains[0]?.base?.priority).toBe(-300);
    const printed = parsed.ruleSets.map(printNft).join('');
    const second = inNamespace('nft -f - && nft list ruleset', printed);
    expect(second.stderr).toBe('');
    expect(second.stdout).toBe(first.stdout);
  });

  it('interface names of every shape the settings take read back as kube-proxy writes them', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: NodePort, clusterIP: 172.30.0.10, ports: [{name: http, port: 80, nodePort: 30080}]}\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-1, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nports: [{name: http, port: 8080}]\nendpoints: [{addresses: [10.0.1.5]}]\n';
    const names = ['eth0', 'eth0.100', 'cbr0', 'veth-a_b', '@pwn', '0x10', 'accept', 'icmpv6', 'rt0', '#x', 'a;b', '{x}', '$v'];
    for (const [mode, field, list] of [
      ['BridgeInterface', 'bridgeInterface', names],
      ['InterfaceNamePrefix', 'interfaceNamePrefix', names],
    ] as const) {
      for (const name of list) {
        const cfg = `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\ndetectLocalMode: ${mode}\ndetectLocal: {${field}: ${JSON.stringify(name)}}\n---\n`;
        const model = compile(['-'], 'ipv4', () => cfg + svc);
        const r = inNamespace('nft -f - && nft list ruleset', printNft(model));
        expect({ name, stderr: r.stderr }).toEqual({ name, stderr: '' });
        const parsed = parseNft(r.stdout, 'listing');
        expect({ name, diagnostics: parsed.diagnostics }).toEqual({ name, diagnostics: [] });
        expect(nftNormalForm(parsed.ruleSets[0] as NftRuleSet)).toEqual(nftNormalForm({ ...model, origin: 'nft' }));
      }
    }
  });

  it('several service CIDRs (one word in kube-proxy\'s text, a listed set in the listing) compare equal in normal form', () => {
    const cfg = 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmetadata:\n  name: kube-proxy\n  annotations:\n    rulec.io/service-cidrs: "10.96.0.0/12,172.30.0.0/16"\n---\n';
    const model = compile(['-'], 'ipv4', () => cfg);
    const rule = model.chains.find((c) => c.name === 'cluster-ips-check')?.rules[1];
    expect(rule?.words).toEqual(['ip', 'daddr', '{', '10.96.0.0/12,172.30.0.0/16', '}', 'drop']);
    expectListedAsCompiled(model);
  });
});
