import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NftRuleSet } from '../../ast/nft-types.js';
import { loadRules } from '../../analysis/input/load-rules.js';
import { defaultConfig } from '../config/types.js';
import type { IptablesLintRule, NftContext, NftLintRule } from '../types.js';
import clusterIpNotInSet from '../rules/cluster-ip-not-in-set.js';
import danglingJump from '../rules/dangling-jump.js';
import numgenMap from '../rules/numgen-map.js';
import serviceMapTarget from '../rules/service-map-target.js';
import staleSep from '../rules/stale-sep.js';
import unusedChain from '../rules/unused-chain.js';
import emptyService from '../rules/empty-service.js';
import missingHairpinMasq from '../rules/missing-hairpin-masq.js';
import duplicateRule from '../rules/duplicate-rule.js';
import masqMarkMismatch from '../rules/masq-mark-mismatch.js';
import hashMismatch from '../rules/hash-mismatch.js';
import drift from '../rules/drift.js';
import { loadManifests, type ManifestModel } from '../manifests.js';
import { CONFORMANCE } from '../../../test/support/vectors.js';

/** Runs one rule on an nftables table: its findings as `id: message`. */
function run(rule: NftLintRule | IptablesLintRule, rs: NftRuleSet, manifests: ManifestModel | null = null): string[] {
  const out: string[] = [];
  const context: NftContext = {
    ruleSet: rs,
    file: 'table.nft',
    manifests,
    settings: defaultConfig().settings,
    report: (r) => {
      const template = (rule.meta.messages as Record<string, string>)[r.messageId] ?? r.messageId;
      out.push(`${rule.meta.id}: ${template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(r.data?.[k] ?? ''))}`);
    },
    notJudged: () => undefined,
  };
  if ('checkNft' in rule && rule.checkNft) rule.checkNft(context);
  else if (rule.meta.target === 'nftables') (rule as NftLintRule).check(context);
  return out;
}

const RULES = [danglingJump, unusedChain, staleSep, numgenMap, serviceMapTarget, clusterIpNotInSet, emptyService, missingHairpinMasq, duplicateRule, masqMarkMismatch, hashMismatch] as const;

function compiled(file: string): NftRuleSet {
  const loaded = loadRules([file], { readStdin: () => '', mode: 'nftables' });
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const rs = loaded.nft[0];
  if (!rs) throw new Error('no table');
  return structuredClone(rs);
}

const inputs = ['trace', 'nftables', 'iptables']
  .flatMap((kind) => readdirSync(join(CONFORMANCE, kind)).map((d) => join(CONFORMANCE, kind, d, 'input.yaml')))
  .filter((f) => existsSync(f));

describe('lint rules on kube-proxy nftables tables', () => {
  it('find nothing in what kube-proxy writes for any conformance input', () => {
    expect(inputs.length).toBeGreaterThan(50);
    for (const f of inputs) {
      const rs = compiled(f);
      for (const rule of RULES) expect(run(rule, rs), `${f} ${rule.meta.id}`).toEqual([]);
    }
  });

  const DNS = 'examples/cluster';
  const svc = (rs: NftRuleSet) => rs.chains.find((c) => c.name === 'service-FY5PMXPG-kube-system/kube-dns/udp/dns');

  it('numgen-map: a draw the map lacks, and an element never drawn', () => {
    const rs = compiled(DNS);
    const chain = svc(rs);
    const at = chain?.rules.findIndex((r) => r.words[0] === 'numgen') ?? -1;
    const split = chain?.rules[at];
    if (!chain || !split) throw new Error('no split');
    chain.rules[at] = { words: split.words.join(' ').replace('mod 2', 'mod 3').split(' ') };
    expect(run(numgenMap, rs)).toEqual(['numgen-map: numgen random mod 3 draws 2, which its map lacks: 33.33% of new connections reach no endpoint here']);
    chain.rules[at] = { words: split.words.join(' ').replace('mod 2', 'mod 1').split(' ') };
    expect(run(numgenMap, rs)).toEqual(['numgen-map: numgen random mod 1 never draws 1: goto endpoint-X33CZ57A-kube-system/kube-dns/udp/dns__10.244.2.4/53 gets no connection']);
  });

  it('dangling-jump, unused-chain and stale-sep: an endpoint chain renamed away from its split', () => {
    const rs = compiled(DNS);
    const ep = rs.chains.find((c) => c.name === 'endpoint-X33CZ57A-kube-system/kube-dns/udp/dns__10.244.2.4/53');
    if (!ep) throw new Error('no endpoint chain');
    ep.name = 'endpoint-ZZZZZZZZ-kube-system/kube-dns/udp/dns__10.244.2.9/53';
    expect(run(danglingJump, rs)).toEqual(['dangling-jump: goto endpoint-X33CZ57A-kube-system/kube-dns/udp/dns__10.244.2.4/53: table ip kube-proxy has no chain endpoint-X33CZ57A-kube-system/kube-dns/udp/dns__10.244.2.4/53']);
    expect(run(unusedChain, rs)).toEqual(['unused-chain: chain endpoint-ZZZZZZZZ-kube-system/kube-dns/udp/dns__10.244.2.9/53 is declared but nothing jumps to it']);
    expect(run(staleSep, rs)).toEqual(['stale-sep: endpoint-ZZZZZZZZ-kube-system/kube-dns/udp/dns__10.244.2.9/53 is not reached from any service or local chain: it is left over from an endpoint that is gone']);
  });

  it('service-map-target and cluster-ip-not-in-set: a map element of the wrong protocol, a cluster IP left out', () => {
    const rs = compiled(DNS);
    const map = rs.sets.find((s) => s.name === 'service-ips');
    const el = map?.elements.find((e) => e.key.join(' . ') === '10.96.0.10 . tcp . 53');
    if (!el) throw new Error('no element');
    el.value = 'goto service-FY5PMXPG-kube-system/kube-dns/udp/dns';
    expect(run(serviceMapTarget, rs)).toEqual(['service-map-target: @service-ips sends 10.96.0.10 . tcp . 53 (tcp) to service-FY5PMXPG-kube-system/kube-dns/udp/dns, the chain of a udp port']);
    el.value = 'goto services';
    expect(run(serviceMapTarget, rs)).toEqual(['service-map-target: @service-ips sends 10.96.0.10 . tcp . 53 to services, which is not a service, external or local chain']);
    const ips = rs.sets.find((s) => s.name === 'cluster-ips');
    if (!ips) throw new Error('no set');
    ips.elements = ips.elements.filter((e) => e.key[0] !== '10.96.0.10');
    expect(run(clusterIpNotInSet, rs)).toEqual([
      'cluster-ip-not-in-set: 10.96.0.10 is the cluster IP of service-FY5PMXPG-kube-system/kube-dns/udp/dns but is not in @cluster-ips: packets to its other ports are dropped instead of rejected',
    ]);
  });

  it('empty-service, missing-hairpin-masq, duplicate-rule and masq-mark-mismatch on a table changed by hand', () => {
    const rs = compiled(DNS);
    const chain = svc(rs);
    if (!chain) throw new Error('no chain');
    chain.rules = chain.rules.filter((r) => r.words[0] !== 'numgen');
    expect(run(emptyService, rs)).toEqual(['empty-service: service-FY5PMXPG-kube-system/kube-dns/udp/dns is sent packets by a service map but sends them to no endpoint: its traffic is not load-balanced anywhere']);
    const ep = rs.chains.find((c) => c.name === 'endpoint-X33CZ57A-kube-system/kube-dns/udp/dns__10.244.2.4/53');
    if (!ep) throw new Error('no endpoint chain');
    ep.rules = ep.rules.filter((r) => !r.words.includes('mark-for-masquerade'));
    expect(run(missingHairpinMasq, rs)).toEqual([
      'missing-hairpin-masq: endpoint-X33CZ57A-kube-system/kube-dns/udp/dns__10.244.2.4/53 DNATs to 10.244.2.4:53 without an "ip saddr 10.244.2.4 jump mark-for-masquerade" rule before it: a pod that reaches itself through the service gets no reply',
    ]);
    const first = ep.rules[0];
    if (!first) throw new Error('no rule');
    ep.rules.push({ words: [...first.words] });
    expect(run(duplicateRule, rs)).toEqual(['duplicate-rule: this rule repeats the rule at line #1 of chain endpoint-X33CZ57A-kube-system/kube-dns/udp/dns__10.244.2.4/53: same matches and target, so it never changes the outcome']);
    const masq = rs.chains.find((c) => c.name === 'masquerading');
    if (!masq) throw new Error('no masquerading chain');
    masq.rules = masq.rules.map((r) => ({ words: r.words.map((w) => (w === '0x00004000' && r.words.includes('and') ? '0x00008000' : w)) }));
    expect(run(masqMarkMismatch, rs)).toEqual(['masq-mark-mismatch: masquerading tests mark 0x8000 but kube-proxy sets 0x4000 for masquerading: packets marked for masquerading are not masqueraded']);
  });

  /** The manifests of a file or of every YAML file of a folder, as `--manifests` reads them. */
  const manifestsOf = (path: string, edit: (text: string, file: string) => string = (t) => t): ManifestModel => {
    const files = statSync(path).isDirectory() ? readdirSync(path).filter((f) => f.endsWith('.yaml')).map((f) => join(path, f)) : [path];
    const model = loadManifests(files.map((file) => ({ file, text: edit(readFileSync(file, 'utf8'), file) })), defaultConfig().settings);
    expect(model.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return model;
  };

  it('drift: nothing between any conformance input and the table compiled from it', () => {
    for (const f of inputs) expect(run(drift, compiled(f), manifestsOf(f)), f).toEqual([]);
  });

  it('drift: a changed endpoint, cluster IP and node port, a service the table lacks and one the manifests lack', () => {
    const rs = compiled(DNS);
    // The table loses every trace of the DNS service's TCP port.
    for (const set of rs.sets) set.elements = set.elements.filter((e) => !(e.value ?? '').includes('kube-dns/tcp/dns-tcp'));
    const moved = manifestsOf(DNS, (t, file) => {
      if (file.endsWith('kube-dns.yaml')) return t.replaceAll('10.96.0.10', '10.96.0.11').replace('[10.244.2.4]', '[10.244.2.9]');
      if (file.endsWith('nodeport-app.yaml')) return t.replace('nodePort: 30080', 'nodePort: 30081');
      return file.endsWith('lb-source-ranges.yaml') ? '' : t;
    });
    expect(run(drift, rs, moved)).toEqual([
      'drift: kube-system/kube-dns:dns (udp): the cluster IP and port is 10.96.0.10:53 in the dump but 10.96.0.11:53 in the manifests',
      'drift: kube-system/kube-dns:dns (udp): endpoint 10.244.2.9:53 in the manifests but not in the dump; endpoint 10.244.2.4:53 in the dump but not in the manifests',
      'drift: kube-system/kube-dns:dns-tcp (tcp) is defined in the manifests but has no rules in table.nft',
      'drift: kube-system/kube-dns:metrics (tcp): the cluster IP and port is 10.96.0.10:9153 in the dump but 10.96.0.11:9153 in the manifests',
      'drift: kube-system/kube-dns:metrics (tcp): endpoint 10.244.2.9:9153 in the manifests but not in the dump; endpoint 10.244.2.4:9153 in the dump but not in the manifests',
      'drift: shop/storefront:http (tcp): the NodePort is 30080 in the dump but 30081 in the manifests',
      'drift: finance/billing-api:https (tcp) has rules in the dump but the manifests do not define it',
    ]);
  });

  it('drift: a cluster IP rulec allocated (the manifests have none) is not compared with the table\'s', () => {
    const rs = compiled(DNS);
    const repository = manifestsOf(DNS, (t, file) => (file.endsWith('kube-dns.yaml') ? t.replace(/^  clusterIPs?: .*\n/gm, '') : t));
    expect(repository.cluster.services.find((s) => s.name === 'kube-dns')?.filledIn).toEqual({ clusterIPs: true });
    expect(run(drift, rs, repository)).toEqual([]);
  });

  it('hash-mismatch: a chain whose hash is not that of the name it carries', () => {
    const rs = compiled(DNS);
    const chain = svc(rs);
    if (!chain) throw new Error('no chain');
    chain.name = 'service-AAAAAAAA-kube-system/kube-dns/udp/dns';
    expect(run(hashMismatch, rs)).toEqual([
      'hash-mismatch: service-AAAAAAAA-kube-system/kube-dns/udp/dns is named for kube-system/kube-dns/udp/dns, whose chain kube-proxy names service-FY5PMXPG-kube-system/kube-dns/udp/dns: the name was written by hand or copied',
    ]);
  });
});
