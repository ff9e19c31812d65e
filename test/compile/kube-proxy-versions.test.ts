import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { NFACCT_COUNTERS, canRunKernel, inNamespace, loadAndSave, restoreTest } from '../support/kernel.js';

/**
 * `--kube-proxy-version 1.N`: the version vectors of docs/versions.md (test/fixtures/versions),
 * compiled for every minor of their range, give their expected text byte for byte; the text
 * loads into a kernel; and the version is read from the flag, else the annotation, and checked.
 */
const VERSIONS = resolve(import.meta.dirname, '../fixtures/versions');

/** The ranges rulec compiles, with their minors. */
const RANGES: ReadonlyArray<{ dir: string; minors: number[] }> = [
  { dir: 'v1.31-1.33', minors: [31, 32, 33] },
  { dir: 'v1.27-1.30', minors: [27, 28, 29, 30] },
  { dir: 'v1.25-1.26', minors: [25, 26] },
  { dir: 'v1.24', minors: [24] },
  { dir: 'v1.23', minors: [23] },
  { dir: 'v1.22', minors: [22] },
  { dir: 'v1.21', minors: [21] },
  { dir: 'v1.20', minors: [20] },
  { dir: 'v1.19', minors: [19] },
  { dir: 'v1.18', minors: [18] },
  { dir: 'v1.17', minors: [17] },
  { dir: 'v1.16', minors: [16] },
  { dir: 'v1.15', minors: [15] },
  { dir: 'v1.14', minors: [14] },
  { dir: 'v1.12-1.13', minors: [12, 13] },
  { dir: 'v1.10-1.11', minors: [10, 11] },
  { dir: 'v1.9', minors: [9] },
  { dir: 'v1.8', minors: [8] },
  { dir: 'v1.7', minors: [7] },
  { dir: 'v1.6', minors: [6] },
  { dir: 'v1.5', minors: [5] },
  { dir: 'v1.4', minors: [4] },
  { dir: 'v1.3', minors: [3] },
  { dir: 'v1.2', minors: [2] },
];

const VECTORS = ['common', 'edge'] as const;

function read(...path: string[]): string {
  return readFileSync(join(VERSIONS, ...path), 'utf8');
}

function flagsOf(...path: string[]): string[] {
  return read(...path, 'flags').trim().split(/\s+/).filter(Boolean);
}

/** The vector's input without the annotations that describe the node's kernel (nfacct, KUBE-FIREWALL). */
function withoutNodeAnnotations(input: string): string {
  return input
    .split('\n')
    .filter((l) => !/rulec\.io\/(nfacct|kube-firewall-chain):/.test(l))
    .join('\n');
}

describe('--kube-proxy-version compiles each range as its vectors expect', () => {
  for (const { dir, minors } of RANGES) {
    for (const vector of VECTORS) {
      it(`${dir}/${vector} with its flags file`, async () => {
        const r = await runCli(['compile', ...flagsOf(dir, vector), join(VERSIONS, dir, vector, 'input.yaml')]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toBe(read(dir, vector, 'expected.iptables'));
      });

      it(`${dir}/${vector} for every minor of the range (${minors.map((m) => `1.${m}`).join(', ')})`, async () => {
        const expected = read(dir, vector, 'expected.iptables');
        for (const m of minors) {
          const r = await runCli(['compile', '--kube-proxy-version', `1.${m}`, join(VERSIONS, dir, vector, 'input.yaml')]);
          expect(r.code).toBe(0);
          expect(r.stdout).toBe(expected);
        }
      });

      it(`${dir}/${vector}: the version alone decides nfacct and KUBE-FIREWALL`, async () => {
        // A node with nfacct and KUBE-FIREWALL support (the defaults): an older kube-proxy
        // still writes neither.
        const input = withoutNodeAnnotations(read(dir, vector, 'input.yaml'));
        const r = await runCli(['compile', ...flagsOf(dir, vector), '-'], input);
        expect(r.code).toBe(0);
        expect(r.stdout).toBe(read(dir, vector, 'expected.iptables'));
      });

      it(`${dir}/${vector} from the rulec.io/kube-proxy-version annotation`, async () => {
        const minor = minors[0] as number;
        const input = read(dir, vector, 'input.yaml').replace('  annotations:\n', `  annotations:\n    rulec.io/kube-proxy-version: "1.${minor}"\n`);
        const r = await runCli(['compile', '-'], input);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toBe(read(dir, vector, 'expected.iptables'));
      });
    }
  }

  it('the default is the newest layout (1.33)', async () => {
    const input = join(VERSIONS, 'v1.31-1.33', 'common', 'input.yaml');
    const r = await runCli(['compile', input]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(read('v1.31-1.33', 'common', 'expected.iptables'));
  });

  it("kube-proxy 1.28's own whole-dump test (v1.27-1.30/overall-test-1.28)", async () => {
    const dir = join('v1.27-1.30', 'overall-test-1.28');
    const r = await runCli(['compile', ...flagsOf(dir), join(VERSIONS, dir, 'input.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(read(dir, 'expected.iptables'));
  });

  it('the flag wins over the annotation', async () => {
    const input = read('v1.24', 'edge', 'input.yaml').replace('  annotations:\n', '  annotations:\n    rulec.io/kube-proxy-version: "1.33"\n');
    const r = await runCli(['compile', '--kube-proxy-version', '1.24', '-'], input);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(read('v1.24', 'edge', 'expected.iptables'));
  });
});

describe('kube-proxy versions rulec does not compile', () => {
  const input = join(VERSIONS, 'v1.24', 'common', 'input.yaml');

  for (const bad of ['1.1', '1.0', '1.34', '2.0', '1', '1.x', '', 'v1.2.0']) {
    it(`--kube-proxy-version ${JSON.stringify(bad)} is RC104`, async () => {
      const r = await runCli(['compile', '--kube-proxy-version', bad, input]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('RC104');
      expect(r.stderr).toContain('--kube-proxy-version');
      expect(r.stderr).toContain('1.2 to 1.33');
    });
  }

  it('a bad annotation is RC101 at the annotation', async () => {
    const text = read('v1.24', 'common', 'input.yaml').replace('  annotations:\n', '  annotations:\n    rulec.io/kube-proxy-version: "1.1"\n');
    const r = await runCli(['compile', '-'], text);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('RC101');
    expect(r.stderr).toContain('rulec.io/kube-proxy-version');
  });

  it('v1.N, the oldest and the newest version are accepted', async () => {
    for (const v of ['v1.24', '1.2', 'v1.2', '1.33']) {
      const r = await runCli(['compile', '--kube-proxy-version', v, input]);
      expect(r.code).toBe(0);
    }
  });

  it('an older layout in nftables mode is an error', async () => {
    for (const v of ['1.27', '1.11', '1.2']) {
      const r = await runCli(['compile', '--mode', 'nftables', '--kube-proxy-version', v, input]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('RC104');
      expect(r.stderr).toContain('iptables and IPVS mode only');
    }
  });
});

/**
 * The compiled text of each range loads into a kernel: `iptables-nft-restore --test`, and a real
 * load with `iptables-save` then holding every rule. KUBE-MARK-DROP (which kube-proxy before 1.25
 * jumps to) is kubelet's: it is created first, as on a node.
 */
describe('each range loads into a kernel', () => {
  const tool = 'iptables-nft-restore';
  const markDrop = 'iptables-nft -t nat -N KUBE-MARK-DROP && iptables-nft -t nat -A KUBE-MARK-DROP -j MARK --or-mark 0x00008000 &&';
  const nfacct = NFACCT_COUNTERS.map((c) => `nfacct add ${c} >/dev/null;`).join(' ');
  const count = (text: string) => text.split('\n').filter((l) => l.startsWith('-A ')).length;

  for (const { dir, minors } of RANGES) {
    for (const vector of VECTORS) {
      it.skipIf(!canRunKernel(tool, 'iptables-nft', 'nfacct'))(`${dir}/${vector} (1.${minors[0]}), with and without hooks`, async () => {
        for (const hooks of [[], ['--with-hooks']]) {
          const r = await runCli(['compile', ...hooks, '--kube-proxy-version', `1.${minors[0]}`, join(VERSIONS, dir, vector, 'input.yaml')]);
          expect(r.code).toBe(0);
          const usesMarkDrop = r.stdout.includes('-j KUBE-MARK-DROP');
          const tested = restoreTest(tool, r.stdout, usesMarkDrop ? markDrop : '');
          expect(tested.stderr).toBe('');
          expect(tested.status).toBe(0);
          // --noflush keeps the KUBE-MARK-DROP chain made first, as kube-proxy's own restore does.
          const loaded = usesMarkDrop ? inNamespace(`${nfacct} ${markDrop} ${tool} --noflush && iptables-nft-save`, r.stdout) : loadAndSave(tool, r.stdout);
          expect(loaded.stderr).toBe('');
          expect(loaded.status).toBe(0);
          expect(count(loaded.stdout)).toBe(count(r.stdout) + (usesMarkDrop ? 1 : 0));
        }
      });
    }
  }
});

/**
 * `compile --as-saved` of each range is what the kernel's `iptables-save` prints after loading the
 * compiled text (nf_tables backend), header comments aside. KUBE-MARK-DROP is kubelet's chain,
 * made first as on a node: its chain line and its one rule are the only dump lines rulec does not
 * write.
 */
describe('each range: --as-saved equals the kernel dump', () => {
  const tool = 'iptables-nft-restore';
  const markDrop = 'iptables-nft -t nat -N KUBE-MARK-DROP && iptables-nft -t nat -A KUBE-MARK-DROP -j MARK --or-mark 0x00008000 &&';
  const nfacct = NFACCT_COUNTERS.map((c) => `nfacct add ${c} >/dev/null;`).join(' ');
  const kubeletLine = (l: string) => l === ':KUBE-MARK-DROP - [0:0]' || l.startsWith('-A KUBE-MARK-DROP ');

  for (const { dir, minors } of RANGES) {
    for (const vector of VECTORS) {
      it.skipIf(!canRunKernel(tool, 'iptables-nft', 'nfacct'))(`${dir}/${vector} (1.${minors[0]}), with and without hooks`, async () => {
        for (const hooks of [[], ['--with-hooks']]) {
          const args = [...hooks, '--kube-proxy-version', `1.${minors[0]}`, join(VERSIONS, dir, vector, 'input.yaml')];
          const compiled = await runCli(['compile', ...args]);
          const saved = await runCli(['compile', '--as-saved', ...args]);
          expect(saved.stderr).toBe('');
          expect(saved.code).toBe(0);
          const dump = inNamespace(`${nfacct} ${markDrop} ${tool} --noflush && iptables-nft-save`, compiled.stdout);
          expect(dump.stderr).toBe('');
          expect(dump.status).toBe(0);
          const kernel = dump.stdout.split('\n').filter((l) => !l.startsWith('#') && !kubeletLine(l)).join('\n');
          expect(saved.stdout).toBe(kernel);
          // With hooks, the release's jumps are in the kernel's built-in chains.
          if (hooks.length > 0 && vector === 'common') expect(builtinLines(kernel)).toEqual(HOOK_LINES[dir]);
        }
      });
    }
  }
});

/** The rules of the built-in chains in a text, with the table each is in: `*filter`, `-A INPUT …`. */
function builtinLines(text: string): string[] {
  const out: string[] = [];
  for (const l of text.split('\n')) {
    if (l.startsWith('*')) out.push(l);
    else if (/^-A (PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING) /.test(l)) out.push(l);
  }
  return out;
}

/**
 * The jumps each range's kube-proxy installs in the built-in chains, as a node has them after its
 * first sync (each inserted at the top, so the one ensured last comes first), read in the releases'
 * proxier.go (docs/versions.md §3.25), for the common vector of each range.
 */
const J = {
  svcIn: '-A INPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  svcOut: '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  svcInNew: '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  svcFwdNew: '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  svcOutNew: '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  extIn: '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
  extFwd: '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
  fwd19: '-A FORWARD -m comment --comment "kubernetes forward rules" -j KUBE-FORWARD',
  fwd: '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
  hc: '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
  pfwIn: '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
  pfwFwd: '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
  pfwOut: '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
};
const NAT_JUMPS = [
  '*nat',
  '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
];
const JUMPS_1_2 = ['*filter', J.svcOut, ...NAT_JUMPS];
const JUMPS_1_7 = ['*filter', J.svcIn, J.svcOut, ...NAT_JUMPS];
const JUMPS_1_9 = ['*filter', J.svcIn, J.fwd19, J.svcOut, ...NAT_JUMPS];
const JUMPS_1_10 = ['*filter', J.extIn, J.fwd, J.svcOutNew, ...NAT_JUMPS];
const JUMPS_1_14 = ['*filter', J.svcInNew, J.extIn, J.fwd, J.svcFwdNew, J.svcOutNew, ...NAT_JUMPS];
const JUMPS_1_20 = ['*filter', J.extIn, J.fwd, J.svcFwdNew, J.extFwd, J.svcOutNew, ...NAT_JUMPS];
const JUMPS_1_21 = ['*filter', J.hc, J.extIn, J.fwd, J.svcFwdNew, J.extFwd, J.svcOutNew, ...NAT_JUMPS];
const JUMPS_1_25 = ['*filter', J.pfwIn, J.hc, J.extIn, J.pfwFwd, J.fwd, J.svcFwdNew, J.extFwd, J.pfwOut, J.svcOutNew, ...NAT_JUMPS];
/** 1.27+ with the KUBE-FIREWALL chain (on in those vectors): its jumps first in INPUT and OUTPUT. */
const JUMPS_1_27 = ['*filter', '-A INPUT -j KUBE-FIREWALL', ...JUMPS_1_25.slice(1, 8), '-A OUTPUT -j KUBE-FIREWALL', ...JUMPS_1_25.slice(8)];
const HOOK_LINES: Record<string, string[]> = {
  'v1.31-1.33': JUMPS_1_27,
  'v1.27-1.30': JUMPS_1_27,
  'v1.25-1.26': JUMPS_1_25,
  'v1.24': JUMPS_1_21,
  'v1.23': JUMPS_1_21,
  'v1.22': JUMPS_1_21,
  'v1.21': JUMPS_1_21,
  'v1.20': JUMPS_1_20,
  'v1.19': JUMPS_1_14,
  'v1.18': JUMPS_1_14,
  'v1.17': JUMPS_1_14,
  'v1.16': JUMPS_1_14,
  'v1.15': JUMPS_1_14,
  'v1.14': JUMPS_1_14,
  'v1.12-1.13': JUMPS_1_10,
  'v1.10-1.11': JUMPS_1_10,
  'v1.9': JUMPS_1_9,
  'v1.8': JUMPS_1_7,
  'v1.7': JUMPS_1_7,
  'v1.6': JUMPS_1_2,
  'v1.5': JUMPS_1_2,
  'v1.4': JUMPS_1_2,
  'v1.3': JUMPS_1_2,
  'v1.2': JUMPS_1_2,
};

describe('--with-hooks: each range gets its release\'s jumps from the built-in chains', () => {
  for (const { dir, minors } of RANGES) {
    it(`${dir}, every minor`, async () => {
      for (const minor of minors) {
        const r = await runCli(['compile', '--with-hooks', '--kube-proxy-version', `1.${minor}`, join(VERSIONS, dir, 'common', 'input.yaml')]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(builtinLines(r.stdout)).toEqual(HOOK_LINES[dir]);
      }
    });
  }

  it('1.27 and later jump to KUBE-FIREWALL first in INPUT and OUTPUT when kube-proxy writes that chain; 1.26 never', async () => {
    // Without the vector's node annotations, KUBE-FIREWALL takes its default: on for IPv4.
    const input = withoutNodeAnnotations(read('v1.25-1.26', 'common', 'input.yaml'));
    const kubeFirewall = (l: string) => l.endsWith('-j KUBE-FIREWALL');
    for (const v of ['1.27', '1.30', '1.33']) {
      const r = await runCli(['compile', '--with-hooks', '--kube-proxy-version', v, '-'], input);
      expect(r.code).toBe(0);
      const lines = builtinLines(r.stdout);
      expect(lines.filter(kubeFirewall)).toEqual(['-A INPUT -j KUBE-FIREWALL', '-A OUTPUT -j KUBE-FIREWALL']);
      expect(lines[lines.indexOf('-A INPUT -j KUBE-FIREWALL') + 1]).toBe(J.pfwIn);
      expect(lines[lines.indexOf('-A OUTPUT -j KUBE-FIREWALL') + 1]).toBe(J.pfwOut);
    }
    const r = await runCli(['compile', '--with-hooks', '--kube-proxy-version', '1.26', '-'], input);
    expect(builtinLines(r.stdout).some(kubeFirewall)).toBe(false);
  });

  it('the default is the newest release\'s jumps; the text and --as-saved agree on them', async () => {
    const input = join(VERSIONS, 'v1.31-1.33', 'common', 'input.yaml');
    const plain = await runCli(['compile', '--with-hooks', input]);
    expect(builtinLines(plain.stdout)).toEqual(JUMPS_1_27);
    for (const v of ['1.2', '1.9', '1.14', '1.20']) {
      const text = await runCli(['compile', '--with-hooks', '--kube-proxy-version', v, input]);
      const saved = await runCli(['compile', '--with-hooks', '--as-saved', '--kube-proxy-version', v, input]);
      expect(builtinLines(saved.stdout)).toEqual(builtinLines(text.stdout));
    }
  });
});

/** trace compiles manifests with the jumps of the release it is given. */
describe('trace walks the release\'s jumps', () => {
  it('1.8 has no FORWARD jump: a pod\'s packet to a service meets only the FORWARD policy; 1.9 meets KUBE-FORWARD', async () => {
    const args = (v: string, dir: string) => ['trace', '--kube-proxy-version', v, '--dst', '172.30.0.41:80', '--src', '10.1.0.5', '--from', 'pod', join(VERSIONS, dir, 'common', 'input.yaml')];
    const old = await runCli(args('1.8', 'v1.8'));
    expect(old.code).toBe(0);
    const forward = (out: string) => out.split('\n').filter((l) => /filter FORWARD|-A FORWARD /.test(l)).map((l) => l.trim());
    expect(forward(old.stdout)).toEqual(['filter FORWARD: policy ACCEPT']);
    const next = await runCli(args('1.9', 'v1.9'));
    expect(forward(next.stdout)).toEqual(['filter FORWARD #1: jump KUBE-FORWARD', J.fwd19, 'filter FORWARD: policy ACCEPT']);
    const newest = await runCli(args('1.33', 'v1.31-1.33'));
    expect(forward(newest.stdout)[0]).toBe('filter FORWARD #1: jump KUBE-PROXY-FIREWALL');
  });
});

/** Single rules of the older layouts that the vectors do not reach, from the proxier code of docs/versions.md §3.21-§3.22. */
describe('older layouts, rule by rule', () => {
  const config = (family = 'IPv4') => `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
metadata:
  annotations:
    rulec.io/ip-family: "${family}"
hostnameOverride: node1
clusterCIDR: "10.0.0.0/8"
---
apiVersion: v1
kind: Node
metadata: {name: node1}
status:
  addresses:
  - {type: InternalIP, address: "192.168.0.2"}
`;
  /** The EndpointSlice `NAME-1` of Service ns/NAME, port http 8080/TCP, with these endpoints (flow maps). */
  const slice = (name: string, endpoints: string[]) => `---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ${name}-1, namespace: ns, labels: {kubernetes.io/service-name: ${name}}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints:
${endpoints.map((e) => `- ${e}\n`).join('')}`;
  const compile = async (version: string, text: string, extra: string[] = []) => {
    const r = await runCli(['compile', '--kube-proxy-version', version, ...extra, '-'], text);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return r.stdout.split('\n');
  };

  it('1.24: internalTrafficPolicy Local without a local endpoint goes to KUBE-SVL, which marks it for dropping', async () => {
    const text = `${config()}---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ns}
spec:
  clusterIP: 172.30.0.10
  internalTrafficPolicy: Local
  ports: [{name: http, port: 80, protocol: TCP}]
${slice('web', ['{addresses: [10.1.0.5], nodeName: node2, conditions: {ready: true}}'])}`;
    const old = await compile('1.24', text);
    const svl = old.filter((l) => l.startsWith('-A KUBE-SVL-'));
    expect(svl).toHaveLength(2);
    expect(svl[0]).toMatch(/"ns\/web:http cluster IP" .* ! -s 10\.0\.0\.0\/8 -j KUBE-MARK-MASQ$/);
    expect(svl[1]).toMatch(/-m comment --comment "ns\/web:http has no local endpoints" -j KUBE-MARK-DROP$/);
    expect(old.some((l) => /^-A KUBE-SERVICES .*"ns\/web:http cluster IP" .* -j KUBE-SVL-/.test(l))).toBe(true);
    expect(old.some((l) => l.includes('has no local endpoints" ') && l.includes('-j DROP'))).toBe(false);
    expect(old.some((l) => l.startsWith(':KUBE-SVC-') || l.startsWith(':KUBE-SEP-'))).toBe(false);

    const newer = await compile('1.25', text);
    expect(newer.some((l) => l.startsWith(':KUBE-SVL-'))).toBe(false);
    expect(newer).toContain('-A KUBE-SERVICES -m comment --comment "ns/web:http has no local endpoints" -m tcp -p tcp -d 172.30.0.10 --dport 80 -j DROP');
  });

  it('1.24: the KUBE-FW rules are written once per load-balancer IP, each ending in KUBE-MARK-DROP', async () => {
    const text = `${config()}---
apiVersion: v1
kind: Service
metadata: {name: lb, namespace: ns}
spec:
  type: LoadBalancer
  clusterIP: 172.30.0.11
  loadBalancerSourceRanges: ["192.168.0.0/16"]
  ports: [{name: http, port: 80, protocol: TCP, nodePort: 30080}]
status:
  loadBalancer:
    ingress: [{ip: 5.5.5.1}, {ip: 5.5.5.2}]
${slice('lb', ['{addresses: [10.1.0.6], nodeName: node2, conditions: {ready: true}}'])}`;
    const fw = (await compile('1.24', text)).filter((l) => l.startsWith('-A KUBE-FW-')).map((l) => l.replace(/KUBE-(FW|EXT)-\w+/g, 'KUBE-$1-X'));
    const c = '-m comment --comment "ns/lb:http loadbalancer IP"';
    expect(fw).toEqual([
      `-A KUBE-FW-X ${c} -s 192.168.0.0/16 -j KUBE-EXT-X`,
      `-A KUBE-FW-X ${c} -s 5.5.5.1 -j KUBE-EXT-X`,
      `-A KUBE-FW-X ${c} -j KUBE-MARK-DROP`,
      `-A KUBE-FW-X ${c} -s 192.168.0.0/16 -j KUBE-EXT-X`,
      `-A KUBE-FW-X ${c} -s 5.5.5.2 -j KUBE-EXT-X`,
      `-A KUBE-FW-X ${c} -j KUBE-MARK-DROP`,
    ]);
    const newer = await compile('1.25', text);
    expect(newer.filter((l) => l.startsWith('-A KUBE-FW-'))).toHaveLength(3);
    expect(newer.filter((l) => l.startsWith('-A KUBE-PROXY-FIREWALL '))).toHaveLength(2);
  });

  it('1.24-1.25 use no terminating endpoint (ProxyTerminatingEndpoints off); 1.26 falls back to them', async () => {
    const text = `${config()}---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ns}
spec:
  clusterIP: 172.30.0.12
  ports: [{name: http, port: 80, protocol: TCP}]
${slice('web', ['{addresses: [10.1.0.7], nodeName: node2, conditions: {ready: false, serving: true, terminating: true}}'])}`;
    for (const v of ['1.24', '1.25']) {
      expect(await compile(v, text)).toContain('-A KUBE-SERVICES -m comment --comment "ns/web:http has no endpoints" -m tcp -p tcp -d 172.30.0.12 --dport 80 -j REJECT');
    }
    const newer = await compile('1.26', text);
    expect(newer.some((l) => l.includes('-j DNAT --to-destination 10.1.0.7:8080'))).toBe(true);
  });

  it('before 1.26 the IPv6 nodeports jump keeps ::1 (no localhostNodePorts setting yet)', async () => {
    const jump = (lines: string[]) => lines.find((l) => l.includes('kubernetes service nodeports;'));
    const text = config('IPv6');
    expect(jump(await compile('1.25', text))).toBe('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS');
    expect(jump(await compile('1.26', text))).toBe('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS');
  });

  it('1.23: internalTrafficPolicy Local keeps only local endpoints, so none is no endpoints at all (REJECT)', async () => {
    const text = `${config()}---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ns}
spec:
  clusterIP: 172.30.0.10
  internalTrafficPolicy: Local
  ports: [{name: http, port: 80, protocol: TCP}]
${slice('web', ['{addresses: [10.1.0.5], nodeName: node2, conditions: {ready: true}}', '{addresses: [10.1.0.6], nodeName: node1, conditions: {ready: true}}'])}`;
    const both = await compile('1.23', text);
    expect(both.filter((l) => l.startsWith(':KUBE-SEP-'))).toHaveLength(1);
    expect(both.some((l) => l.includes('-j DNAT --to-destination 10.1.0.6:8080'))).toBe(true);
    const remoteOnly = await compile('1.23', text.replace(/\n- \{addresses: \[10\.1\.0\.6\].*\n/, '\n'));
    expect(remoteOnly).toContain('-A KUBE-SERVICES -m comment --comment "ns/web:http has no endpoints" -m tcp -p tcp -d 172.30.0.10 --dport 80 -j REJECT');
    expect(remoteOnly.some((l) => l.startsWith(':KUBE-SVC-') || l.startsWith(':KUBE-SEP-'))).toBe(false);
  });

  it('1.23: an externalTrafficPolicy: Local port without endpoints still declares its KUBE-XLB chain', async () => {
    const text = `${config()}---
apiVersion: v1
kind: Service
metadata: {name: lb, namespace: ns}
spec:
  type: LoadBalancer
  clusterIP: 172.30.0.11
  externalTrafficPolicy: Local
  healthCheckNodePort: 30001
  ports: [{name: http, port: 80, protocol: TCP, nodePort: 30080}]
`;
    const lines = await compile('1.23', text);
    expect(lines.filter((l) => l.startsWith(':KUBE-XLB-'))).toHaveLength(1);
    expect(lines.some((l) => l.startsWith('-A KUBE-XLB-'))).toBe(false);
    expect(lines.some((l) => l.includes('has no endpoints') && l.includes('--dport 30080 -j REJECT'))).toBe(true);
  });

  it('1.20: an external IP is masqueraded whatever the source and jumped to from outside or to a local address', async () => {
    const text = `${config()}---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: ns}
spec:
  clusterIP: 172.30.0.17
  externalIPs: [192.168.99.7]
  ports: [{name: http, port: 80, protocol: TCP}]
${slice('ext', ['{addresses: [10.1.0.10], nodeName: node2, conditions: {ready: true}}'])}`;
    const rules = (lines: string[]) => lines.filter((l) => l.includes('external IP')).map((l) => l.replace(/KUBE-SVC-\w+/g, 'KUBE-SVC-X'));
    const c = '-m comment --comment "ns/ext:http external IP" -m tcp -p tcp -d 192.168.99.7/32 --dport 80';
    expect(rules(await compile('1.20', text))).toEqual([
      `-A KUBE-SERVICES ${c} -j KUBE-MARK-MASQ`,
      `-A KUBE-SERVICES ${c} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j KUBE-SVC-X`,
      `-A KUBE-SERVICES ${c} -m addrtype --dst-type LOCAL -j KUBE-SVC-X`,
    ]);
    expect(rules(await compile('1.21', text))).toEqual([`-A KUBE-SERVICES ${c} ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ`, `-A KUBE-SERVICES ${c} -j KUBE-SVC-X`]);
    const loaded = canRunKernel('iptables-nft-restore') ? restoreTest('iptables-nft-restore', (await runCli(['compile', '--kube-proxy-version', '1.20', '-'], text)).stdout) : undefined;
    if (loaded) expect(loaded.status).toBe(0);
  });

  it('1.19: external IPs ignore externalTrafficPolicy: Local (ExternalPolicyForExternalIP off)', async () => {
    const text = `${config()}---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: ns}
spec:
  type: NodePort
  clusterIP: 172.30.0.18
  externalTrafficPolicy: Local
  externalIPs: [192.168.99.8]
  ports: [{port: 80, protocol: TCP, nodePort: 30083}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ext-1, namespace: ns, labels: {kubernetes.io/service-name: ext}}
addressType: IPv4
ports: [{port: 8080, protocol: TCP}]
endpoints:
- {addresses: [10.1.0.11], nodeName: node1, conditions: {ready: true}}
`;
    const rules = (lines: string[]) => lines.filter((l) => l.includes('external IP')).map((l) => l.replace(/KUBE-(SVC|XLB)-\w+/g, 'KUBE-$1-X'));
    const c19 = '-m comment --comment "ns/ext: external IP" -m tcp -p tcp -d 192.168.99.8/32 --dport 80';
    expect(rules(await compile('1.19', text))).toEqual([
      `-A KUBE-SERVICES ${c19} -j KUBE-MARK-MASQ`,
      `-A KUBE-SERVICES ${c19} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j KUBE-SVC-X`,
      `-A KUBE-SERVICES ${c19} -m addrtype --dst-type LOCAL -j KUBE-SVC-X`,
    ]);
    const c20 = c19.replace('ns/ext:', 'ns/ext');
    expect(rules(await compile('1.20', text))).toEqual([
      `-A KUBE-SERVICES ${c20} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j KUBE-XLB-X`,
      `-A KUBE-SERVICES ${c20} -m addrtype --dst-type LOCAL -j KUBE-XLB-X`,
    ]);
  });

  it('1.20-1.22: a NodePort without a node address ends the port; 1.23 only leaves out the NodePort rules', async () => {
    const text = `${config().replace('clusterCIDR: "10.0.0.0/8"', 'clusterCIDR: "10.0.0.0/8"\nnodePortAddresses: ["172.16.0.0/12"]')}---
apiVersion: v1
kind: Service
metadata: {name: np, namespace: ns}
spec:
  type: NodePort
  clusterIP: 172.30.0.19
  ports: [{name: http, port: 80, protocol: TCP, nodePort: 30084}]
${slice('np', ['{addresses: [10.1.0.12], nodeName: node2, conditions: {ready: true}}'])}`;
    for (const v of ['1.20', '1.22']) {
      const lines = await compile(v, text);
      expect(lines.some((l) => l.startsWith(':KUBE-SEP-'))).toBe(false);
      expect(lines.some((l) => l.startsWith('-A KUBE-SVC-') && l.includes('-j KUBE-SEP-'))).toBe(false);
      expect(lines.some((l) => l.includes('30084'))).toBe(false);
    }
    const v23 = await compile('1.23', text);
    expect(v23.some((l) => l.startsWith(':KUBE-SEP-'))).toBe(true);
    expect(v23.some((l) => l.includes('30084'))).toBe(false);
  });

  it('1.21 does not read internalTrafficPolicy (its gate is off); 1.21 masquerades in KUBE-SERVICES', async () => {
    const text = `${config()}---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ns}
spec:
  clusterIP: 172.30.0.16
  internalTrafficPolicy: Local
  ports: [{name: http, port: 80, protocol: TCP}]
${slice('web', ['{addresses: [10.1.0.9], nodeName: node2, conditions: {ready: true}}'])}`;
    const old = await compile('1.21', text);
    expect(old.some((l) => l.includes('-j DNAT --to-destination 10.1.0.9:8080'))).toBe(true);
    expect(old).toContain('-A KUBE-SERVICES -m comment --comment "ns/web:http cluster IP" -m tcp -p tcp -d 172.30.0.16/32 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ');
    expect(old.some((l) => l.startsWith('-A KUBE-SVC-') && l.includes('KUBE-MARK-MASQ'))).toBe(false);
    expect((await compile('1.22', text)).some((l) => l.includes('has no endpoints'))).toBe(true);
  });

  it('1.22: every endpoint, ready or not, gets a KUBE-SEP chain and an affinity rule; only ready ones a balancing jump', async () => {
    const text = `${config()}---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ns}
spec:
  clusterIP: 172.30.0.14
  sessionAffinity: ClientIP
  ports: [{name: http, port: 80, protocol: TCP}]
${slice('web', ['{addresses: [10.1.0.1], nodeName: node2, conditions: {ready: true}}', '{addresses: [10.1.0.2], nodeName: node2, conditions: {ready: false}}'])}`;
    const svc = (lines: string[]) => lines.filter((l) => l.startsWith('-A KUBE-SVC-')).map((l) => l.replace(/KUBE-(SVC|SEP)-\w+/g, 'KUBE-$1-X'));
    const old = await compile('1.22', text);
    expect(old.filter((l) => l.startsWith(':KUBE-SEP-'))).toHaveLength(2);
    expect(old.some((l) => /^-A KUBE-SERVICES -m comment --comment "ns\/web:http cluster IP" -m tcp -p tcp -d 172\.30\.0\.14\/32 --dport 80 -j KUBE-SVC-\w+$/.test(l))).toBe(true);
    expect(old.some((l) => l.includes('-s 10.1.0.2/32 -j KUBE-MARK-MASQ'))).toBe(true);
    expect(svc(old)).toEqual([
      '-A KUBE-SVC-X -m comment --comment "ns/web:http cluster IP" -m tcp -p tcp -d 172.30.0.14/32 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-X -m comment --comment ns/web:http -m recent --name KUBE-SEP-X --rcheck --seconds 10800 --reap -j KUBE-SEP-X',
      '-A KUBE-SVC-X -m comment --comment ns/web:http -m recent --name KUBE-SEP-X --rcheck --seconds 10800 --reap -j KUBE-SEP-X',
      '-A KUBE-SVC-X -m comment --comment ns/web:http -j KUBE-SEP-X',
    ]);
    const newer = await compile('1.23', text);
    expect(newer.filter((l) => l.startsWith(':KUBE-SEP-'))).toHaveLength(1);
    expect(svc(newer)).toHaveLength(3);

    // No ready endpoint at all: 1.22 still counts the port as having endpoints.
    const noneReady = text.replace('conditions: {ready: true}', 'conditions: {ready: false}');
    expect((await compile('1.22', noneReady)).some((l) => l.includes('has no endpoints'))).toBe(false);
    expect((await compile('1.23', noneReady)).some((l) => l.includes('has no endpoints'))).toBe(true);
  });

  it('1.22: KUBE-XLB jumps are "Balancing rule N", commented even in a large cluster', async () => {
    const text = `${config()}---
apiVersion: v1
kind: Service
metadata: {name: lb, namespace: ns}
spec:
  type: LoadBalancer
  clusterIP: 172.30.0.15
  externalTrafficPolicy: Local
  healthCheckNodePort: 30002
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}
  ports: [{name: http, port: 80, protocol: TCP, nodePort: 30082}]
status:
  loadBalancer:
    ingress: [{ip: 5.5.5.3}]
${slice('lb', ['{addresses: [10.1.0.3], nodeName: node1, conditions: {ready: true}}', '{addresses: [10.1.0.4], nodeName: node1, conditions: {ready: true}}'])}`;
    const xlb = (await compile('1.22', text)).filter((l) => l.startsWith('-A KUBE-XLB-') && l.includes('KUBE-SEP-')).map((l) => l.replace(/KUBE-(XLB|SEP)-\w+/g, 'KUBE-$1-X'));
    expect(xlb).toEqual([
      '-A KUBE-XLB-X -m comment --comment ns/lb:http -m recent --name KUBE-SEP-X --rcheck --seconds 60 --reap -j KUBE-SEP-X',
      '-A KUBE-XLB-X -m comment --comment ns/lb:http -m recent --name KUBE-SEP-X --rcheck --seconds 60 --reap -j KUBE-SEP-X',
      '-A KUBE-XLB-X -m comment --comment "Balancing rule 0 for ns/lb:http" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-X',
      '-A KUBE-XLB-X -m comment --comment "Balancing rule 1 for ns/lb:http" -j KUBE-SEP-X',
    ]);
  });

  it('1.22 writes IPv6 addresses with /128', async () => {
    const text = `${config('IPv6')}---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ns}
spec:
  clusterIP: fd00::10
  ipFamilies: [IPv6]
  ports: [{name: http, port: 80, protocol: TCP}]
`;
    expect(await compile('1.22', text)).toContain('-A KUBE-SERVICES -m comment --comment "ns/web:http has no endpoints" -m tcp -p tcp -d fd00::10/128 --dport 80 -j REJECT');
  });

  it('up to 1.26 no NodePort rules when nodePortAddresses name no address of the node', async () => {
    const text = `${config().replace('clusterCIDR: "10.0.0.0/8"', 'clusterCIDR: "10.0.0.0/8"\nnodePortAddresses: ["172.16.0.0/12"]')}---
apiVersion: v1
kind: Service
metadata: {name: np, namespace: ns}
spec:
  type: NodePort
  clusterIP: 172.30.0.13
  ports: [{name: http, port: 80, protocol: TCP, nodePort: 30081}]
${slice('np', ['{addresses: [10.1.0.8], nodeName: node2, conditions: {ready: true}}'])}`;
    for (const v of ['1.23', '1.24', '1.26']) {
      expect((await compile(v, text)).some((l) => l.includes('30081'))).toBe(false);
    }
    expect((await compile('1.27', text)).some((l) => l.startsWith('-A KUBE-NODEPORTS ') && l.includes('--dport 30081'))).toBe(true);
  });

  it('--with-hooks: no jump to KUBE-PROXY-FIREWALL where 1.24 has no such chain', async () => {
    const lines = await compile('1.24', config(), ['--with-hooks']);
    expect(lines.some((l) => l.includes('KUBE-PROXY-FIREWALL'))).toBe(false);
    expect(lines.some((l) => l.includes('KUBE-FIREWALL'))).toBe(false);
  });
});

/** Rules of 1.2 to 1.18 that the vectors do not reach, from the proxier code of docs/versions.md §3.1-§3.15. */
describe('1.2 to 1.18, rule by rule', () => {
  const config = (extra = '') => `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
metadata:
  annotations:
    rulec.io/ip-family: "IPv4"
    rulec.io/random-fully: "true"
hostnameOverride: node1
${extra}---
apiVersion: v1
kind: Node
metadata: {name: node1}
status:
  addresses:
  - {type: InternalIP, address: "192.168.0.2"}
`;
  const web = (spec: string, endpoints: string[], status = '') => `---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ns}
spec:
  clusterIP: 172.30.0.10
${spec}
  ports: [{name: http, port: 80, protocol: TCP, nodePort: 30080}]
${status}---
apiVersion: v1
kind: Endpoints
metadata: {name: web, namespace: ns}
subsets:
- addresses: [${endpoints.map((e) => `{ip: ${e.split('@')[0]}, nodeName: ${e.split('@')[1] ?? 'node2'}}`).join(', ')}]
  ports: [{name: http, port: 8080, protocol: TCP}]
`;
  const compile = async (version: string, text: string) => {
    const r = await runCli(['compile', '--kube-proxy-version', version, '-'], text);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return r.stdout.split('\n');
  };
  const named = (lines: string[]) => lines.map((l) => l.replace(/KUBE-(SVC|SEP|XLB|FW)-\w{16}/g, 'KUBE-$1-X'));

  it('masqueradeAll: 1.2 writes only its rule, 1.3-1.6 the cluster-CIDR rule too, 1.7 only its rule', async () => {
    const text = config('clusterCIDR: "10.0.0.0/8"\niptables: {masqueradeAll: true}\n') + web('  type: ClusterIP', ['10.1.0.1']);
    const masq = (lines: string[]) => lines.filter((l) => l.startsWith('-A KUBE-SERVICES ') && l.endsWith('-j KUBE-MARK-MASQ'));
    const c = '-A KUBE-SERVICES -m comment --comment "ns/web:http cluster IP" -m tcp -p tcp -d 172.30.0.10/32 --dport 80';
    expect(masq(await compile('1.2', text))).toEqual([`${c} -j KUBE-MARK-MASQ`]);
    for (const v of ['1.3', '1.6']) expect(masq(await compile(v, text))).toEqual([`${c} -j KUBE-MARK-MASQ`, `${c} ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ`]);
    expect(masq(await compile('1.7', text))).toEqual([`${c} -j KUBE-MARK-MASQ`]);
  });

  it('without a cluster CIDR, 1.9-1.17 write only the mark rule in KUBE-FORWARD; 1.18 the conntrack pair too', async () => {
    const forward = (lines: string[]) => lines.filter((l) => l.startsWith('-A KUBE-FORWARD '));
    const mark = '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x00004000/0x00004000 -j ACCEPT';
    expect(forward(await compile('1.9', config()))).toEqual([mark]);
    expect(forward(await compile('1.17', config()))).toEqual(['-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP', mark]);
    expect(forward(await compile('1.18', config()))).toHaveLength(4);
    expect((await compile('1.8', config())).some((l) => l.includes('KUBE-FORWARD'))).toBe(false);
  });

  it('probabilities: %0.5f up to 1.16, %0.10f from 1.17; comments off on KUBE-SVC in 1.12-1.17', async () => {
    const text = config('clusterCIDR: "10.0.0.0/8"\n') + web('  type: ClusterIP', ['10.1.0.1', '10.1.0.2', '10.1.0.3']);
    const svc = async (v: string) => named((await compile(v, text)).filter((l) => l.startsWith('-A KUBE-SVC-')));
    expect(await svc('1.11')).toEqual([
      '-A KUBE-SVC-X -m comment --comment ns/web:http -m statistic --mode random --probability 0.33333 -j KUBE-SEP-X',
      '-A KUBE-SVC-X -m comment --comment ns/web:http -m statistic --mode random --probability 0.50000 -j KUBE-SEP-X',
      '-A KUBE-SVC-X -m comment --comment ns/web:http -j KUBE-SEP-X',
    ]);
    expect((await svc('1.16'))[0]).toBe('-A KUBE-SVC-X -m statistic --mode random --probability 0.33333 -j KUBE-SEP-X');
    expect((await svc('1.17'))[0]).toBe('-A KUBE-SVC-X -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-X');
    expect((await svc('1.18'))[0]).toBe('-A KUBE-SVC-X -m comment --comment ns/web:http -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-X');
  });

  it('KUBE-XLB: affinity rules from 1.9, commented even when 1.12-1.17 leave KUBE-SVC uncommented', async () => {
    const text =
      config('clusterCIDR: "10.0.0.0/8"\n') +
      web('  type: NodePort\n  externalTrafficPolicy: Local\n  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}', ['10.1.0.1@node1']);
    const xlb = async (v: string) => named((await compile(v, text)).filter((l) => l.startsWith('-A KUBE-XLB-')));
    const redirect = '-A KUBE-XLB-X -m comment --comment "Redirect pods trying to reach external loadbalancer VIP to clusterIP" -s 10.0.0.0/8 -j KUBE-SVC-X';
    const balancing = '-A KUBE-XLB-X -m comment --comment "Balancing rule 0 for ns/web:http" -j KUBE-SEP-X';
    expect(await xlb('1.8')).toEqual([redirect, balancing]);
    expect(await xlb('1.12')).toEqual([redirect, '-A KUBE-XLB-X -m comment --comment ns/web:http -m recent --name KUBE-SEP-X --rcheck --seconds 60 --reap -j KUBE-SEP-X', balancing]);
    // 1.7 fixes the seconds at 10800; 1.4 does not honour the policy at all (no KUBE-XLB).
    expect((await compile('1.7', text)).some((l) => l.includes('--seconds 10800'))).toBe(true);
    expect((await compile('1.4', text)).some((l) => l.includes('KUBE-XLB-'))).toBe(false);
    expect((await compile('1.4', text)).some((l) => l.includes('--seconds 180 '))).toBe(true);
  });

  it('a load balancer without endpoints: 1.9 still writes its KUBE-FW chain; 1.3 masquerades and jumps from KUBE-SERVICES', async () => {
    const lb = `---
apiVersion: v1
kind: Service
metadata: {name: lb, namespace: ns}
spec:
  type: LoadBalancer
  clusterIP: 172.30.0.11
  ports: [{name: http, port: 80, protocol: TCP, nodePort: 30081}]
status:
  loadBalancer:
    ingress: [{ip: 5.5.5.1}]
`;
    const v19 = named(await compile('1.9', config() + lb));
    expect(v19).toContain(':KUBE-SVC-X - [0:0]');
    expect(v19.filter((l) => l.startsWith('-A KUBE-FW-X'))).toEqual([
      '-A KUBE-FW-X -m comment --comment "ns/lb:http loadbalancer IP" -j KUBE-MARK-MASQ',
      '-A KUBE-FW-X -m comment --comment "ns/lb:http loadbalancer IP" -j KUBE-SVC-X',
      '-A KUBE-FW-X -m comment --comment "ns/lb:http loadbalancer IP" -j KUBE-MARK-DROP',
    ]);
    expect(v19.filter((l) => l.includes('has no endpoints')).map((l) => l.replace(/ -j REJECT$/, ''))).toEqual([
      '-A KUBE-SERVICES -m comment --comment "ns/lb:http has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30081',
      '-A KUBE-SERVICES -m comment --comment "ns/lb:http has no endpoints" -m tcp -p tcp -d 172.30.0.11/32 --dport 80',
    ]);
    const v13 = named(await compile('1.3', config() + lb)).filter((l) => l.includes('loadbalancer IP'));
    const c = '-A KUBE-SERVICES -m comment --comment "ns/lb:http loadbalancer IP" -m tcp -p tcp -d 5.5.5.1/32 --dport 80';
    expect(v13).toEqual([`${c} -j KUBE-MARK-MASQ`, `${c} -j KUBE-SVC-X`]);
    // 1.10-1.13 write nothing for it but the cluster-IP and NodePort REJECTs; 1.14 adds the LB REJECT.
    expect((await compile('1.13', config() + lb)).filter((l) => l.includes('has no endpoints'))).toHaveLength(2);
    expect((await compile('1.14', config() + lb))).toContain('-A KUBE-SERVICES -m comment --comment "ns/lb:http has no endpoints" -m tcp -p tcp -d 5.5.5.1/32 --dport 80 -j REJECT');
  });

  it('stale chains: 1.2-1.3 delete KUBE-SVC-/KUBE-SEP- chains, 1.4-1.23 KUBE-FW-/KUBE-XLB- ones too', async () => {
    const existing = ['KUBE-SVC-AAAAAAAAAAAAAAAA', 'KUBE-SEP-BBBBBBBBBBBBBBBB', 'KUBE-FW-CCCCCCCCCCCCCCCC', 'KUBE-XLB-DDDDDDDDDDDDDDDD', 'KUBE-EXT-EEEEEEEEEEEEEEEE'];
    const text = config().replace('  annotations:\n', `  annotations:\n    rulec.io/existing-nat-chains: "${existing.join(',')}"\n`);
    const deleted = async (v: string) => (await compile(v, text)).filter((l) => l.startsWith('-X ')).map((l) => l.slice(3, 11));
    expect(await deleted('1.2')).toEqual(['KUBE-SEP', 'KUBE-SVC']);
    expect(await deleted('1.3')).toEqual(['KUBE-SEP', 'KUBE-SVC']);
    expect((await deleted('1.4')).sort()).toEqual(['KUBE-FW-', 'KUBE-SEP', 'KUBE-SVC', 'KUBE-XLB']);
    expect((await deleted('1.23')).sort()).toEqual(['KUBE-FW-', 'KUBE-SEP', 'KUBE-SVC', 'KUBE-XLB']);
    expect((await deleted('1.33')).sort()).toEqual(['KUBE-EXT', 'KUBE-FW-', 'KUBE-SEP', 'KUBE-SVC']);
  });

  it('over 1000 endpoints, 1.18 leaves the KUBE-SVC/KUBE-SEP comments out; 1.11 writes them whatever the size', async () => {
    const ips = Array.from({ length: 1001 }, (_, i) => `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`);
    const text = config('clusterCIDR: "10.0.0.0/8"\n') + web('  type: ClusterIP', ips);
    const commented = (lines: string[]) => lines.filter((l) => /^-A KUBE-(SVC|SEP)-/.test(l) && l.includes('--comment ns/web:http ')).length;
    expect(commented(await compile('1.11', text))).toBe(1001 * 3);
    expect(commented(await compile('1.18', text))).toBe(0);
    expect(commented(await compile('1.18', config('clusterCIDR: "10.0.0.0/8"\n') + web('  type: ClusterIP', ips.slice(0, 1000))))).toBe(1000 * 3);
  });

  it('"OnlyLocal": the annotations in 1.5-1.6, the beta annotation before the field in 1.7, the field from 1.8', async () => {
    const svc = (annotations: string, field: string) =>
      config('clusterCIDR: "10.0.0.0/8"\n') +
      web(`  type: NodePort\n${field ? `  externalTrafficPolicy: ${field}\n` : ''}`, ['10.1.0.1@node1']).replace('metadata: {name: web, namespace: ns}', `metadata: {name: web, namespace: ns, annotations: {${annotations}}}`);
    const xlb = async (v: string, text: string) => (await compile(v, text)).some((l) => l.startsWith(':KUBE-XLB-'));
    const alpha = '"service.alpha.kubernetes.io/external-traffic": OnlyLocal';
    const beta = (value: string) => `"service.beta.kubernetes.io/external-traffic": ${value}`;
    expect(await xlb('1.5', svc(alpha, ''))).toBe(true);
    expect(await xlb('1.6', svc(beta('OnlyLocal'), ''))).toBe(true);
    expect(await xlb('1.6', svc('', 'Local'))).toBe(false);
    expect(await xlb('1.6', svc(`${alpha}, ${beta('Global')}`, ''))).toBe(true);
    expect(await xlb('1.7', svc(beta('OnlyLocal'), ''))).toBe(true);
    expect(await xlb('1.7', svc(beta('Global'), 'Local'))).toBe(false);
    expect(await xlb('1.7', svc('', 'Local'))).toBe(true);
    expect(await xlb('1.7', svc(alpha, ''))).toBe(false);
    expect(await xlb('1.8', svc(beta('OnlyLocal'), ''))).toBe(false);
    expect(await xlb('1.8', svc('', 'Local'))).toBe(true);
    expect(await xlb('1.4', svc(beta('OnlyLocal'), 'Local'))).toBe(false);
  });

  it('--random-fully from 1.16, on a node that has it', async () => {
    const post = async (v: string) => (await compile(v, config())).filter((l) => l.startsWith('-A KUBE-POSTROUTING '));
    expect(await post('1.15')).toEqual(['-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -m mark --mark 0x00004000/0x00004000 -j MASQUERADE']);
    expect(await post('1.16')).toEqual(['-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -m mark --mark 0x00004000/0x00004000 -j MASQUERADE --random-fully']);
  });
});
