import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { buildCluster } from './cluster.js';
import { readText, type RawObject } from './read-documents.js';
import { resolveSettings, type ProxySettings, type SettingFlags } from './settings.js';

/** Reads one YAML stream, builds the cluster and resolves the settings. */
function load(yaml: string, flags: SettingFlags = {}): { settings: ProxySettings; diagnostics: string[] } {
  const objects: RawObject[] = [];
  const diagnostics: Diagnostic[] = [];
  readText(yaml, 'in.yaml', objects, diagnostics);
  const cluster = buildCluster(objects, diagnostics);
  const settings = resolveSettings(cluster, flags, diagnostics);
  return { settings, diagnostics: diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`) };
}

/** A KubeProxyConfiguration: line 5 holds the first annotation, line 6 the first field. */
const CONFIG = (fields: string, annotations = '    rulec.io/nfacct: "true"') =>
  `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmetadata:\n  annotations:\n${annotations}\n${fields}\n`;
const ANN = (key: string, value: string) => CONFIG('mode: iptables', `    ${key}: ${JSON.stringify(value)}`);

function errors(yaml: string, flags: SettingFlags = {}): string[] {
  return load(yaml, flags).diagnostics.filter((d) => d.includes(' error '));
}

describe('annotations: every value is checked', () => {
  it('rulec.io/masquerade-mark is one set bit', () => {
    for (const bad of ['0x0', '0x00000000', '0x3', '0x4001', '0xffffffff', '4000', '0x', '0x4000 ']) {
      expect(errors(ANN('rulec.io/masquerade-mark', bad)), bad).toEqual([
        `5:31 error RC101 annotation rulec.io/masquerade-mark: expected one mark bit in hexadecimal, like "0x4000", got ${JSON.stringify(bad)}`,
      ]);
    }
    for (const good of ['0x4000', '0x00004000', '0x1', '0x80000000', '0X4000']) {
      const r = load(ANN('rulec.io/masquerade-mark', good));
      expect(r.diagnostics, good).toEqual([]);
      expect(r.settings.masqueradeMark).toBe(good);
    }
  });

  it('rulec.io/ip-family is IPv4 or IPv6, never silently IPv4', () => {
    expect(load(ANN('rulec.io/ip-family', 'IPv6')).settings.family).toBe('ipv6');
    for (const bad of ['ipv6', 'IPV6', 'v6', '']) {
      expect(errors(ANN('rulec.io/ip-family', bad)), bad).toEqual([
        `5:25 error RC101 annotation rulec.io/ip-family: expected "IPv4" or "IPv6", got ${JSON.stringify(bad)}`,
      ]);
    }
  });

  it('an unknown rulec.io/ annotation is an error, other annotations are not read', () => {
    expect(errors(ANN('rulec.io/random-fuly', 'false'))).toEqual([
      '5:27 error RC101 annotation rulec.io/random-fuly: not an annotation rulec reads (rulec.io/ip-family, rulec.io/masquerade-mark, rulec.io/random-fully, rulec.io/nfacct, rulec.io/kube-firewall-chain, rulec.io/conntrack-tcp-be-liberal, rulec.io/local-detector, rulec.io/interface-addresses, rulec.io/primary-node-ip, rulec.io/service-cidrs, rulec.io/existing-nat-chains, rulec.io/kube-proxy-version, rulec.io/allocate)',
    ]);
    expect(errors(ANN('example.com/owner', 'x'))).toEqual([]);
  });

  it('rulec.io/interface-addresses holds addresses with valid prefix lengths', () => {
    expect(load(ANN('rulec.io/interface-addresses', '10.0.0.1/24, 127.0.0.1/8,fd00::1/64,10.0.0.9')).diagnostics).toEqual([]);
    for (const bad of ['10.0.0.1/abc', '10.0.0.1/33', 'fd00::1/129', '10.0.0.1/', '10.0.0.1/24/1', 'x']) {
      expect(errors(ANN('rulec.io/interface-addresses', bad)), bad).toEqual([
        `5:35 error RC101 annotation rulec.io/interface-addresses: ${JSON.stringify(bad)} is not an address (IP or IP/LENGTH)`,
      ]);
    }
  });

  it('booleans, the detector, CIDRs, chains and the primary IP keep their checks', () => {
    expect(errors(ANN('rulec.io/random-fully', 'yes'))).toEqual(['5:28 error RC101 annotation rulec.io/random-fully: expected "true" or "false", got "yes"']);
    expect(errors(ANN('rulec.io/local-detector', 'off'))).toHaveLength(1);
    expect(errors(ANN('rulec.io/service-cidrs', '10.96.0.0/33'))).toHaveLength(1);
    expect(errors(ANN('rulec.io/existing-nat-chains', 'A B'))).toHaveLength(1);
    expect(errors(ANN('rulec.io/primary-node-ip', '10.0.0.256'))).toHaveLength(1);
  });
});

describe('KubeProxyConfiguration fields: every value is checked', () => {
  it('mode kernelspace is Windows: an error, not iptables', () => {
    expect(errors(CONFIG('mode: kernelspace'))).toEqual([
      '6:7 error RC101 KubeProxyConfiguration: mode: "kernelspace" is the Windows proxier; rulec compiles iptables, ipvs and nftables',
    ]);
  });

  it('BridgeInterface and InterfaceNamePrefix need their interface', () => {
    expect(errors(CONFIG('detectLocalMode: BridgeInterface'))).toEqual([
      '6:18 error RC101 KubeProxyConfiguration: detectLocalMode BridgeInterface needs detectLocal.bridgeInterface',
    ]);
    expect(errors(CONFIG('detectLocalMode: InterfaceNamePrefix\ndetectLocal: {interfaceNamePrefix: ""}'))).toEqual([
      '6:18 error RC101 KubeProxyConfiguration: detectLocalMode InterfaceNamePrefix needs detectLocal.interfaceNamePrefix',
    ]);
  });

  it('interface names are names the kernel gives', () => {
    for (const bad of ['eth0:1', '.', '..', 'a/b', 'x'.repeat(16), 'br+', 'a b']) {
      const e = errors(CONFIG(`detectLocalMode: BridgeInterface\ndetectLocal: {bridgeInterface: ${JSON.stringify(bad)}}`));
      expect(e, bad).toHaveLength(1);
      expect(e[0], bad).toMatch(/^7:\d+ error RC101 KubeProxyConfiguration \(unnamed\): detectLocal\.bridgeInterface: .* is not a valid interface name/);
    }
    expect(errors(CONFIG(`detectLocalMode: InterfaceNamePrefix\ndetectLocal: {interfaceNamePrefix: ${'x'.repeat(15)}}`))[0]).toMatch(
      /detectLocal\.interfaceNamePrefix: "x{15}" is not a valid interface name prefix \(1 to 14/,
    );
    const ok = load(CONFIG('detectLocalMode: BridgeInterface\ndetectLocal: {bridgeInterface: eth0.100}'));
    expect(ok.diagnostics).toEqual([]);
    expect(ok.settings.localDetector).toEqual({ kind: 'bridge', name: 'eth0.100' });
  });

  it('bindAddress is an IP address', () => {
    expect(errors(CONFIG('bindAddress: 0.0.0.0'))).toEqual([]);
    expect(errors(CONFIG('bindAddress: localhost'))[0]).toMatch(/^6:14 error RC101 KubeProxyConfiguration \(unnamed\): bindAddress: "localhost" is not an IP address$/);
  });

  it('nodePortAddresses: "primary" stands alone', () => {
    expect(errors(CONFIG('nodePortAddresses: [primary]'))).toEqual([]);
    expect(errors(CONFIG('nodePortAddresses: [primary, 10.0.0.0/8]'))).toEqual([
      '6:21 error RC101 KubeProxyConfiguration: nodePortAddresses[0]: "primary" must be the only entry',
    ]);
  });

  it('the IPVS scheduler is one IPVS has, excludeCIDRs are CIDRs, durations are durations', () => {
    expect(errors(CONFIG('ipvs: {scheduler: wrr, excludeCIDRs: [10.0.0.0/8], tcpTimeout: 1h30m, udpTimeout: 0s}'))).toEqual([]);
    expect(errors(CONFIG('ipvs: {scheduler: foo}'))[0]).toMatch(/ipvs\.scheduler: must be one of "", "rr", "wrr"/);
    expect(errors(CONFIG('ipvs: {excludeCIDRs: [10.0.0.0/33]}'))[0]).toMatch(/ipvs\.excludeCIDRs\[0\]: "10\.0\.0\.0\/33" is not a CIDR/);
    expect(errors(CONFIG('iptables: {syncPeriod: "30"}'))[0]).toMatch(/iptables\.syncPeriod: "30" is not a duration/);
    expect(errors(CONFIG('iptables: {minSyncPeriod: 1x}'))[0]).toMatch(/iptables\.minSyncPeriod: "1x" is not a duration/);
  });
});

describe('Service targetPort', () => {
  const SERVICE = (targetPort: string) =>
    `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  clusterIP: 10.96.0.10\n  ports:\n  - port: 80\n    targetPort: ${targetPort}\n`;
  it('a string is a port name (IANA service name), even when it holds digits', () => {
    for (const bad of ['"65536"', '"80"', '"0"', 'HTTP', '-http', 'http-', 'a--b', 'abcdefghijklmnop']) {
      expect(errors(SERVICE(bad)), bad).toEqual([
        `8:17 error RC101 Service default/web: spec.ports[0].targetPort: ${JSON.stringify(JSON.parse(bad.startsWith('"') ? bad : JSON.stringify(bad)))} is not a port name (an IANA service name: 1 to 15 lower-case letters, digits and '-', with a letter; a port number is written without quotes)`,
      ]);
    }
    expect(errors(SERVICE('70000'))).toEqual(['8:17 error RC101 Service default/web: spec.ports[0].targetPort: must be at most 65535, got number 70000']);
    for (const good of ['8080', 'http', 'h2c', 'web-80']) expect(errors(SERVICE(good)), good).toEqual([]);
  });
});

describe('positions are looked up for diagnostics only', () => {
  it('valid settings in every mode and release never ask their document for a position (it costs on a large input)', () => {
    for (const [mode, version] of [
      ['iptables', undefined],
      ['iptables', '1.10'],
      ['ipvs', '1.20'],
      ['nftables', undefined],
    ] as const) {
      const objects: RawObject[] = [];
      const diagnostics: Diagnostic[] = [];
      const annotations = version === undefined ? '    rulec.io/nfacct: "true"' : `    rulec.io/kube-proxy-version: "${version}"`;
      readText(CONFIG(`mode: ${mode}\nclusterCIDR: 10.244.0.0/16`, annotations), 'in.yaml', objects, diagnostics);
      const cluster = buildCluster(objects, diagnostics);
      const config = cluster.config;
      if (!config) throw new Error('no configuration read');
      config.src.doc.locate = () => {
        throw new Error(`a position was looked up (${mode} ${version ?? 'newest'})`);
      };
      resolveSettings(cluster, {}, diagnostics);
      resolveSettings(cluster, version === undefined ? {} : { kubeProxyVersion: version }, diagnostics);
      expect(diagnostics).toEqual([]);
    }
  });
});
