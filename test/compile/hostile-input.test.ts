import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

/**
 * Hostile and broken inputs: each gives exactly these diagnostics, exit code 2, nothing on
 * stdout, and no output file.
 */
const F = 'test/fixtures/hostile';

const CASES: Record<string, string[]> = {
  'injection-service-name.yaml': [
    `${F}/injection-service-name.yaml:4:9: error RC101: Service default/a\\" -j ACCEPT\\n-A INPUT: metadata.name: "a\\" -j ACCEPT\\n-A INPUT" is not a valid DNS-1035 label (a lower-case letter, then letters, digits and '-', at most 63)`,
  ],
  'injection-port-name.yaml': [
    `${F}/injection-port-name.yaml:7:11: error RC101: Service default/web: spec.ports[0].name: "http -j ACCEPT" is not a valid DNS-1123 label (lower-case letters, digits and '-', at most 63)`,
  ],
  'injection-comment-hash.yaml': [
    `${F}/injection-comment-hash.yaml:3:34: error RC101: Service ns#x/web: metadata.namespace: "ns#x" is not a valid DNS-1123 label (lower-case letters, digits and '-', at most 63)`,
  ],
  'injection-ip-newline.yaml': [
    `${F}/injection-ip-newline.yaml:5:14: error RC101: Service default/web: spec.clusterIP: "10.96.0.1\\n-A INPUT -j ACCEPT" is not an IP address`,
    `${F}/injection-ip-newline.yaml:6:17: error RC101: Service default/web: spec.externalIPs[0]: "1.2.3.4 -j ACCEPT" is not an IP address`,
  ],
  'injection-endpoint.yaml': [
    `${F}/injection-endpoint.yaml:9:13: error RC101: EndpointSlice default/web-1: endpoints[0].nodeName: "node\\n1" is not a valid DNS-1123 subdomain`,
  ],
  'injection-annotation.yaml': [
    `${F}/injection-annotation.yaml:5:31: error RC101: annotation rulec.io/masquerade-mark: expected one mark bit in hexadecimal, like "0x4000", got "0x4000 -j ACCEPT"`,
    `${F}/injection-annotation.yaml:6:35: error RC101: annotation rulec.io/existing-nat-chains: "KUBE-SVC-X\\n-A INPUT" is not a chain name`,
  ],
  'injection-bridge.yaml': [
    `${F}/injection-bridge.yaml:5:20: error RC101: KubeProxyConfiguration (unnamed): detectLocal.bridgeInterface: "cbr0 -j ACCEPT" is not a valid interface name (1 to 15 printable ASCII characters, not '.' or '..', not starting with '-' or '!', without '/', ':', '*', '+', quotes, backslashes or white space)`,
  ],
  'nul-byte.yaml': [`${F}/nul-byte.yaml:4:12: error RC010: NUL byte in input`],
  'very-long-name.yaml': [
    `${F}/very-long-name.yaml:4:9: error RC101: Service default/${'a'.repeat(63)}: metadata.name: "${'a'.repeat(40)}…" is not a valid DNS-1035 label (a lower-case letter, then letters, digits and '-', at most 63)`,
  ],
  'wrong-types.yaml': [
    `${F}/wrong-types.yaml:6:9: error RC101: Service default/web: spec.type: must be one of "ClusterIP", "NodePort", "LoadBalancer", "ExternalName", got string "Cluster"`,
    `${F}/wrong-types.yaml:8:11: error RC100: Service default/web: spec.ports[0].port: expected number, got string "80"`,
    `${F}/wrong-types.yaml:9:15: error RC101: Service default/web: spec.ports[0].nodePort: must be at least 0, got number -1`,
    `${F}/wrong-types.yaml:10:16: error RC100: Service default/web: spec.externalIPs: expected array, got string "1.2.3.4"`,
    `${F}/wrong-types.yaml:11:54: error RC101: Service default/web: spec.sessionAffinityConfig.clientIP.timeoutSeconds: must be at least 1, got number 0`,
  ],
  'duplicate-objects.yaml': [
    `${F}/duplicate-objects.yaml:8:18: error RC102: Service shop/web is defined twice (first at ${F}/duplicate-objects.yaml:1:1)`,
  ],
  'duplicate-port-names.yaml': [
    `${F}/duplicate-port-names.yaml:8:12: error RC101: Service default/web: spec.ports[1].name: duplicate port name "http" (also ports[0])`,
    `${F}/duplicate-port-names.yaml:9:5: error RC101: Service default/web: spec.ports[2].name: a Service with several ports must name every port`,
  ],
  'malformed.yaml': [`${F}/malformed.yaml:5:13: error RC011: invalid YAML: bad indentation of a mapping entry`],
  'malformed.json': [`${F}/malformed.json:3:1: error RC012: invalid JSON: expected a value, found "]"`],
  'wrong-api-version.yaml': [
    `${F}/wrong-api-version.yaml:1:13: error RC103: EndpointSlice web-1: apiVersion "discovery.k8s.io/v1alpha1" is not read; use discovery.k8s.io/v1`,
  ],
};

describe('hostile and broken inputs', () => {
  for (const [file, expected] of Object.entries(CASES)) {
    it(file, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rulec-hostile-'));
      const out = join(dir, 'out.iptables');
      const r = await runCli(['compile', `${F}/${file}`, '-o', out]);
      expect(r.stderr.split('\n').filter(Boolean)).toEqual(expected);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(existsSync(out)).toBe(false);
      rmSync(dir, { recursive: true, force: true });
    });
  }

  it('a hostile file among valid ones still writes nothing', async () => {
    const valid = await runCli(['compile', 'examples/cluster/nodeport-app.yaml']);
    expect(valid.code).toBe(0);
    const r = await runCli(['compile', 'examples/cluster/nodeport-app.yaml', `${F}/injection-port-name.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `${F}/injection-port-name.yaml:7:11: error RC101: Service default/web: spec.ports[0].name: "http -j ACCEPT" is not a valid DNS-1123 label (lower-case letters, digits and '-', at most 63)`,
    ]);
  });

  it('a missing file is a diagnostic', async () => {
    const r = await runCli(['compile', 'no/such/file.yaml']);
    expect(r.stderr).toBe('no/such/file.yaml:1:1: error RC001: no such file or directory\n');
    expect(r.code).toBe(2);
  });

  it('an unknown flag is a usage error', async () => {
    const r = await runCli(['compile', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown option '--bogus'");
  });

  it('an emit of another mode is refused and nothing is written', async () => {
    const r = await runCli(['compile', '--mode', 'nftables', '--emit', 'ipvsadm', 'examples/cluster/nodeport-app.yaml']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'rulec: --emit ipvsadm does not go with --mode nftables; nftables mode writes --emit nft\n' });
  });

  it('reads standard input', async () => {
    const r = await runCli(['compile', '-'], 'apiVersion: v1\nkind: Service\nmetadata: {name: "A"}\nspec: {}\n');
    expect(r.stderr).toBe(
      `<stdin>:3:18: error RC101: Service default/A: metadata.name: "A" is not a valid DNS-1035 label (a lower-case letter, then letters, digits and '-', at most 63)\n`,
    );
    expect(r.code).toBe(2);
  });
});
