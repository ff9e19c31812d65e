import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printIptablesSave } from '../../src/ast/print-as-saved.js';
import { printNft } from '../../src/ast/print-nft.js';
import { canonicalText } from '../../src/cli/commands/fmt.js';
import { compileIptables, compileIptablesText } from '../../src/compiler/iptables/index.js';
import { compileIpvs } from '../../src/compiler/ipvs/index.js';
import { ipvsEmitText } from '../../src/compiler/ipvs/emit.js';
import { compileNftables } from '../../src/compiler/nftables/index.js';
import { hasErrors, type Diagnostic } from '../../src/diagnostics.js';
import { parseDump } from '../../src/grammar/detect.js';
import { FORMATS } from '../../src/grammar/formats.js';
import { summarizeDump } from '../../src/analysis/summary.js';
import { buildCluster } from '../../src/model/cluster.js';
import { readText, type RawObject } from '../../src/model/read-documents.js';
import { resolveSettings } from '../../src/model/settings.js';
import type { Dictionary } from './mutate.js';

/** What one fuzz case gave. */
export interface CaseOutcome {
  diagnostics: readonly Diagnostic[];
}

/** One reader under fuzzing: its seeds, the words of its format, and how it is run. */
export interface FuzzTarget {
  name: string;
  seeds: readonly string[];
  dictionary: Dictionary;
  /** Runs the reader (and what the CLI runs after it) on one input; must never throw. */
  run(text: string, caseIndex: number): CaseOutcome;
}

/** The package root: the nearest folder above this module (or its bundle) with a package.json. */
function packageRoot(): string {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const ROOT = packageRoot();
export const FILE = 'fuzz-input';

function filesUnder(dir: string, accept: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, accept));
    else if (accept.test(name)) out.push(full);
  }
  return out;
}

const MANIFEST_WORDS: Dictionary = [
  'apiVersion: v1', 'kind: Service', 'kind: List', 'kind: EndpointSlice', 'kind: Endpoints', 'kind: Node',
  'kind: ConfigMap', 'kind: KubeProxyConfiguration', 'kind: constructor', 'kind: __proto__', 'discovery.k8s.io/v1',
  'kubeproxy.config.k8s.io/v1alpha1', 'metadata:', 'name: ', 'namespace: ', 'spec:', 'ports:', '- port: ',
  'targetPort: ', 'nodePort: ', 'protocol: SCTP', 'type: LoadBalancer', 'type: NodePort', 'type: ExternalName',
  'clusterIP: None', 'clusterIPs:', 'externalIPs:', 'externalTrafficPolicy: Local', 'internalTrafficPolicy: Local',
  'sessionAffinity: ClientIP', 'loadBalancerSourceRanges:', 'addressType: IPv6', 'addressType: FQDN', 'endpoints:',
  '- addresses:', 'conditions:', 'ready: false', 'serving: true', 'terminating: true', 'nodeName: ', 'hints:',
  'forZones:', 'subsets:', 'notReadyAddresses:', 'rulec.io/masquerade-mark', 'rulec.io/ip-family', 'masqueradeBit: ',
  'clusterCIDR: ', 'detectLocalMode: BridgeInterface', 'bridgeInterface: ', 'interfaceNamePrefix: ', 'nodePortAddresses:',
  'mode: ipvs', 'mode: nftables', 'config.conf: |', 'items:', '---', '...', '&a', '*a', '<<: *a', '!!binary', '? ', '|-',
  '>', '"', "'", '{', '}', '[', ']', ', ', ': ', '\n  ', '\n- ', '#', '%YAML 1.2', 'null', '~', 'true', 'yes',
];

const DUMP_WORDS: Dictionary = [
  '*nat', '*filter', '*mangle', '*raw', 'COMMIT', ':KUBE-SERVICES - [0:0]', ':PREROUTING ACCEPT [0:0]', '-A ', '-I ',
  '-N ', '-P ', '-X', 'KUBE-SVC-', 'KUBE-SEP-', 'KUBE-EXT-', 'KUBE-SVL-', 'KUBE-FW-', 'KUBE-XLB-', 'KUBE-MARK-MASQ',
  'KUBE-NODEPORTS', '-m comment --comment ', '"default/kubernetes:https cluster IP"', '-m statistic --mode random --probability ',
  '0.50000000000', '-j DNAT --to-destination ', '-j ', '-g ', '-d ', '-s ', '! ', '-p tcp', '-p udp', '-p sctp', '--dport ',
  '-m mark --mark 0x4000/0x4000', '--set-xmark', '-m recent --name', '--rcheck --seconds 10800 --reap', '-m addrtype',
  '--dst-type LOCAL', '[0:0]', '[12:345]', 'Chain KUBE-SERVICES (2 references)', 'Chain INPUT (policy ACCEPT 0 packets, 0 bytes)',
  'target     prot opt source               destination', ' pkts bytes target', 'anywhere', '0.0.0.0/0', '/* x */',
  'tcp dpt:80', 'statistic mode random probability 0.5', 'DNAT       tcp  --  ', 'IP Virtual Server version 1.2.1 (size=4096)',
  'Prot LocalAddress:Port Scheduler Flags', '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  'TCP  10.96.0.1:443 rr', '  -> 10.0.0.1:6443                Masq    1      0          0', '-A -t 10.96.0.1:443 -s rr',
  '-a -t 10.96.0.1:443 -r 10.0.0.1:6443 -m -w 1', 'create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536',
  'add KUBE-CLUSTER-IP 10.96.0.1,tcp:443', 'comment "', 'Name: KUBE-LOOP-BACK', 'Type: hash:ip,port,ip', 'Members:',
  'Header: family inet hashsize 1024 maxelem 65536', 'timeout 10800', 'persistent 10800', '# rulec-ignore-next-line',
  '# Generated by iptables-save v1.8.9 on x', '[root@node ~]# ', '$ ', '\n', '\t', '"', '\\"', ':', ',',
];

function manifestSeeds(): string[] {
  const files = [
    ...filesUnder(join(ROOT, 'examples', 'cluster'), /\.ya?ml$/),
    ...filesUnder(join(ROOT, 'test', 'fixtures', 'hostile'), /\.(ya?ml|json)$/),
    ...filesUnder(join(ROOT, 'test', 'fixtures', 'inputs'), /\.(ya?ml|json)$/),
    ...filesUnder(join(ROOT, 'test', 'golden'), /\.(ya?ml|json)$/),
  ];
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  // One JSON List as `kubectl get -o json` prints it, so the JSON reader has seeds of its own.
  texts.push(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: jsonItems() }, null, 4));
  return texts;
}

function jsonItems(): unknown[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop', uid: '1b2c', resourceVersion: '12', labels: { app: 'web' } },
      spec: { clusterIP: '10.96.4.7', clusterIPs: ['10.96.4.7'], ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], selector: { app: 'web' }, type: 'ClusterIP' },
      status: { loadBalancer: {} },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abcde', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true }, nodeName: 'node-a' }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    },
  ];
}

function dumpSeeds(): string[] {
  const files = [
    ...filesUnder(join(ROOT, 'test', 'fixtures', 'dumps'), /^(?!.*\.(json|md)$)/),
    ...filesUnder(join(ROOT, 'examples', 'dumps'), /./),
  ];
  return files.map((f) => readFileSync(f, 'utf8'));
}

/** The manifest reader and everything `rulec compile` runs after it, in each mode in turn. */
function manifestTarget(): FuzzTarget {
  return {
    name: 'manifests',
    seeds: manifestSeeds(),
    dictionary: MANIFEST_WORDS,
    run(text, caseIndex) {
      const objects: RawObject[] = [];
      const diagnostics: Diagnostic[] = [];
      readText(text, FILE, objects, diagnostics);
      const cluster = buildCluster(objects, diagnostics);
      const settings = resolveSettings(cluster, {}, diagnostics);
      if (!hasErrors(diagnostics)) {
        switch (caseIndex % 3) {
          case 0:
            compileIptablesText(cluster, { ...settings, mode: 'iptables' }, { withHooks: true });
            printIptablesSave(compileIptables(cluster, { ...settings, mode: 'iptables' }));
            break;
          case 1:
            ipvsEmitText(compileIpvs(cluster, settings), 'all', { withHooks: true });
            break;
          default:
            printNft(compileNftables(cluster, settings));
        }
      }
      return { diagnostics };
    },
  };
}

/** A dump grammar, with its format forced (`--format`), then printed canonically and summarised. */
function formatTarget(id: string, seeds: readonly string[]): FuzzTarget {
  return {
    name: id,
    seeds,
    dictionary: DUMP_WORDS,
    run(text) {
      return readDump(text, id);
    },
  };
}

function readDump(text: string, format: string | undefined): CaseOutcome {
  const parsed = parseDump(text, FILE, format === undefined ? {} : { format });
  if (!hasErrors(parsed.diagnostics)) {
    for (const rs of parsed.ruleSets) canonicalText(rs);
    summarizeDump({ ruleSets: parsed.ruleSets, sections: parsed.sections, diagnostics: parsed.diagnostics });
  }
  return { diagnostics: parsed.diagnostics };
}

/** Every target: the manifest reader, format detection over mixed pastes, and each grammar. */
export function fuzzTargets(): FuzzTarget[] {
  const dumps = dumpSeeds();
  const byFormat = new Map<string, string[]>();
  for (const text of dumps) {
    for (const section of parseDump(text, FILE).sections) {
      const lines = text.split('\n').slice(section.firstLine - 1, section.lastLine).join('\n');
      const list = byFormat.get(section.format) ?? [];
      list.push(`${lines}\n`);
      byFormat.set(section.format, list);
    }
  }
  const targets: FuzzTarget[] = [
    manifestTarget(),
    { name: 'detect', seeds: dumps, dictionary: DUMP_WORDS, run: (text) => readDump(text, undefined) },
  ];
  for (const { format } of FORMATS) {
    const seeds = byFormat.get(format.id);
    if (seeds === undefined || seeds.length === 0) throw new Error(`no fuzz seed holds a ${format.id} dump`);
    targets.push(formatTarget(format.id, seeds));
  }
  return targets;
}
