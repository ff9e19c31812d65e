import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';

/** Manifests as a repository holds them: no cluster IP, no NodePort. */
const WEB = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: NodePort
  ipFamilyPolicy: PreferDualStack
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: 8080}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-v4, namespace: shop, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
ports: [{name: http, port: 8080}]
endpoints: [{addresses: [10.244.1.5]}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-v6, namespace: shop, labels: {kubernetes.io/service-name: web}}
addressType: IPv6
ports: [{name: http, port: 8080}]
endpoints: [{addresses: ["fd00:10:244:1::5"]}]
`;

describe('rulec compile of manifests without cluster IPs or NodePorts', () => {
  it('writes the rules of the allocated cluster IP and NodePort, and says so with --verbose', async () => {
    const r = await runCli(['compile', '--verbose', '-'], WEB);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^-A KUBE-SERVICES -m comment --comment "shop\/web:http cluster IP" -m tcp -p tcp -d 10\.97\.31\.209 --dport 80 -j KUBE-SVC-[A-Z2-7]{16}$/m);
    expect(r.stdout).toMatch(/^-A KUBE-NODEPORTS -m comment --comment shop\/web:http -m tcp -p tcp --dport 32756 -j KUBE-EXT-[A-Z2-7]{16}$/m);
    expect(r.stdout).toContain('-j DNAT --to-destination 10.244.1.5:8080');
    expect(r.stderr.split('\n').filter((l) => l.includes('RC106'))).toEqual([
      '<stdin>:5:3: note RC106: shop/web: cluster IP 10.97.31.209 allocated by rulec (none in the manifest)',
      '<stdin>:5:3: note RC106: shop/web: cluster IP fd00:10:96::3366 allocated by rulec (none in the manifest)',
      '<stdin>:9:5: note RC106: shop/web: node port 32756 allocated by rulec for port http (none in the manifest)',
    ]);
  });

  it('says in one line, without --verbose, how much it filled in', async () => {
    const r = await runCli(['compile', '-'], WEB);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('rulec: note: 3 cluster IPs or node ports allocated (RC106) by rulec, as the cluster would, because the input has none; --verbose lists each\n');
  });

  it('uses the IPv6 allocation with --family ipv6', async () => {
    const r = await runCli(['compile', '--family', 'ipv6', '-'], WEB);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^-A KUBE-SERVICES -m comment --comment "shop\/web:http cluster IP" -m tcp -p tcp -d fd00:10:96::3366 --dport 80 -j KUBE-SVC-[A-Z2-7]{16}$/m);
    expect(r.stdout).toContain('-j DNAT --to-destination [fd00:10:244:1::5]:8080');
    expect(r.stdout).not.toContain('10.97.31.209');
  });

  it('allocates from --service-cidr and --service-node-port-range', async () => {
    const r = await runCli(['compile', '--verbose', '--service-cidr', '172.20.0.0/16', '--service-node-port-range', '40000-40099', '-'], WEB);
    expect(r.code).toBe(0);
    const notes = r.stderr.split('\n').filter((l) => l.includes('RC106'));
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/cluster IP 172\.20\.\d+\.\d+ allocated/);
    expect(notes[1]).toMatch(/node port 400\d\d allocated/);
  });

  it('allocates nothing with rulec.io/allocate: "false", and takes only true or false there', async () => {
    const config = (value: string) => `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmetadata: {annotations: {rulec.io/allocate: "${value}"}}\n---\n`;
    const off = await runCli(['compile', '--verbose', '-'], config('false') + WEB);
    expect(off.code).toBe(0);
    expect(off.stderr).not.toContain('RC106');
    expect(off.stdout).not.toContain('cluster IP');
    const bad = await runCli(['compile', '-'], config('no') + WEB);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('<stdin>:3:45: error RC101: annotation rulec.io/allocate: expected "true" or "false", got "no"\n');
  });

  it('stops with an error when a range is full', async () => {
    const r = await runCli(['compile', '--service-cidr', '10.0.0.0/30,fd00::/64', '-'], `${WEB}---\napiVersion: v1\nkind: Service\nmetadata: {name: other, namespace: shop}\nspec: {ports: [{port: 80}]}\n`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/error RC104: shop\/(web|other): no cluster IP left to allocate in 10\.0\.0\.0\/30: every address is taken/);
  });
});
