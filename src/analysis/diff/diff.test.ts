import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printIptablesRestore } from '../../ast/print-iptables.js';
import { printIptablesSave } from '../../ast/print-as-saved.js';
import type { IptablesRuleSet } from '../../ast/types.js';
import { loadRules } from '../input/load-rules.js';
import { CONFORMANCE } from '../../../test/support/trace.js';
import { diffRuleSets } from './diff.js';
import { loadPair } from './load-pair.js';
import { parseDumpText } from '../input/parse-dumps.js';

const dir = mkdtempSync(join(tmpdir(), 'rulec-diff-'));

function manifest(name: string, endpoints: string[], extra = ''): string {
  const file = join(dir, `${name}.yaml`);
  const eps = endpoints.map((e) => `- addresses: ["${e}"]\n  conditions: {ready: true}`).join('\n');
  writeFileSync(
    file,
    `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.0.0.0/8\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: app}\nspec:\n  type: NodePort\n  clusterIP: 10.96.0.20\n  ports: [{name: http, port: 80, nodePort: 30080, protocol: TCP}]\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-1, namespace: app, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nendpoints:\n${eps}\nports: [{name: http, port: 8080, protocol: TCP}]\n${extra}`,
  );
  return file;
}

const load = (p: string) => loadRules([p], { readStdin: () => '' }).ruleSets;
const write = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

describe('diff', () => {
  const two = manifest('two', ['10.0.0.5', '10.0.0.6']);
  const three = manifest('three', ['10.0.0.5', '10.0.0.6', '10.0.0.7']);

  it('one endpoint added gives exactly that difference', () => {
    expect(diffRuleSets(load(two), load(three))).toEqual({
      equal: false,
      services: {
        added: [],
        removed: [],
        changed: [{ family: 'ipv4', service: 'app/web:http', protocol: 'tcp', changes: [{ field: 'endpoints', added: ['10.0.0.7:8080'], removed: [] }] }],
      },
      rules: [],
      ipvs: [],
      ipsets: [],
      notes: [],
      summary: ['app/web:http gains endpoint 10.0.0.7:8080'],
    });
  });

  it('one endpoint removed gives exactly that difference', () => {
    const r = diffRuleSets(load(three), load(two));
    expect(r.services.changed).toEqual([{ family: 'ipv4', service: 'app/web:http', protocol: 'tcp', changes: [{ field: 'endpoints', added: [], removed: ['10.0.0.7:8080'] }] }]);
    expect(r.summary).toEqual(['app/web:http loses endpoint 10.0.0.7:8080']);
    expect(r.rules).toEqual([]);
  });

  it('ignores formatting: the iptables-save form (/32, argument order, 11-digit probabilities, --set-xmark) equals the restore text', () => {
    const compiled = load(three);
    const saved = compiled.filter((r): r is IptablesRuleSet => r.kind === 'iptables').map((r) => printIptablesSave(r)).join('');
    expect(saved).toContain('--probability 0.33333333349');
    expect(saved).toContain('-d 10.96.0.20/32 -p tcp');
    const r = diffRuleSets(compiled, loadRules([write('three.save', saved)], { readStdin: () => '' }).ruleSets);
    expect(r.summary).toEqual([]);
    expect(r.equal).toBe(true);
  });

  it('compares other chains rule by rule, and services by what they mean', () => {
    const base = printIptablesRestore(load(two)[0] as IptablesRuleSet);
    const withForeign = base.replace('*nat\n', '*nat\n:FLANNEL-POSTRTG - [0:0]\n').replace(/COMMIT\n$/, '-A FLANNEL-POSTRTG -s 10.244.0.0/16 -j RETURN\nCOMMIT\n');
    const pair = loadPair([write('a.rules', base)], [write('b.rules', withForeign)], { readStdin: () => '' });
    const r = diffRuleSets(pair.a, pair.b);
    expect(r.services.changed).toEqual([]);
    expect(r.rules).toEqual([{ family: 'ipv4', table: 'nat', chain: 'FLANNEL-POSTRTG', kind: 'extra-chain' }]);
    expect(r.summary).toEqual(['chain nat FLANNEL-POSTRTG is only in B']);
  });

  it('compiles manifests like the other side: without built-in chains against a restore text', () => {
    const restore = write('two.rules', printIptablesRestore(load(two)[0] as IptablesRuleSet));
    const pair = loadPair([two], [restore], { readStdin: () => '' });
    expect(diffRuleSets(pair.a, pair.b).equal).toBe(true);
  });

  it('reports IPVS real servers and ipset members', () => {
    const a = loadRules([two], { readStdin: () => '', mode: 'ipvs' }).ruleSets;
    const b = loadRules([three], { readStdin: () => '', mode: 'ipvs' }).ruleSets;
    const r = diffRuleSets(a, b);
    expect(r.ipvs.map((c) => c.summary)).toEqual(['IPVS service TCP 10.96.0.20:80 gains real server 10.0.0.7:8080']);
    expect(r.ipsets).toEqual([]);
  });

  it('reports scheduler flags, persistence netmasks and engines, and real-server forwarding', () => {
    const ipvs = (text: string) => parseDumpText(text, 'ipvs.save', 'ipvsadm-save').ruleSets;
    const a = ipvs('-A -t 10.96.0.20:80 -s mh -b mh-port,mh-fallback -p 300\n-a -t 10.96.0.20:80 -r 10.0.0.5:8080 -m -w 1\n');
    const same = ipvs('-A -t 10.96.0.20:80 -s mh -b mh-fallback,mh-port -p 300 -M 255.255.255.255\n-a -t 10.96.0.20:80 -r 10.0.0.5:8080 -m -w 1\n');
    expect(diffRuleSets(a, same).ipvs).toEqual([]);
    const b = ipvs('-A -t 10.96.0.20:80 -s mh -b mh-port -p 300 -M 255.255.255.0 --pe sip\n-a -t 10.96.0.20:80 -r 10.0.0.5:8080 -m -w 1 -x 10 -y 2\n');
    expect(diffRuleSets(a, b).ipvs.map((c) => c.summary)).toEqual([
      'IPVS service TCP 10.96.0.20:80: scheduler mh (mh-fallback,mh-port) in A, mh (mh-port) in B',
      'IPVS service TCP 10.96.0.20:80: persistence 300 s in A, 300 s (netmask 255.255.255.0), engine sip in B',
      'IPVS service TCP 10.96.0.20:80: real server 10.0.0.5:8080 forwarding masq in A, masq, thresholds 10/2 in B',
    ]);
  });
});

const root = typeof process.getuid === 'function' && process.getuid() === 0;
const haveTools = ['iptables-nft-restore', 'unshare', 'nfacct'].every((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0);

describe('diff against the kernel', () => {
  it.skipIf(!root || !haveTools)('compiled manifests and the iptables-save of the same rules loaded by the kernel do not differ', () => {
    for (const v of ['overall-iptables-rules', 'v126-lb-source-ranges', 'derived-terminating-fallback-local', 'v126-etp-local-lb-session-affinity']) {
      const input = join(CONFORMANCE, 'iptables', v, 'input.yaml');
      const compiled = loadRules([input], { readStdin: () => '' });
      const rs = compiled.ruleSets.find((r) => r.kind === 'iptables' && r.family === 'ipv4') as IptablesRuleSet;
      const restore = write(`${v}.restore`, printIptablesRestore(rs));
      const saved = execFileSync('unshare', ['-n', 'sh', '-c', `nfacct add ct_state_invalid_dropped_pkts >/dev/null; nfacct add localhost_nps_accepted_pkts >/dev/null; iptables-nft-restore < "${restore}" && iptables-nft-save`], { encoding: 'utf8' });
      const pair = loadPair([input], [write(`${v}.save`, saved)], { readStdin: () => '' });
      const r = diffRuleSets(pair.a, pair.b);
      expect(r.summary, v).toEqual([]);
      expect(r.equal).toBe(true);
    }
  });
});
