/**
 * Pieces of kube-proxy output for rule tests: the rules of service port `ns1/svc1:p80` (tcp,
 * cluster IP 172.30.0.41) with endpoints 10.180.0.1:80 and 10.180.0.2:80, chain names hashed as
 * kube-proxy does.
 */
export const SVC = 'KUBE-SVC-XPGD46QRK7WJZT7O';
export const SEP1 = 'KUBE-SEP-SXIVWICOYRO3J4NJ';
export const SEP2 = 'KUBE-SEP-LXVODXWDISEETFEF';
export const SEP3 = 'KUBE-SEP-ICDUIKC33SFI6ZPR';

export const CLUSTER_IP_JUMP = `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j ${SVC}`;

export function sepRules(chain: string, ip: string): string {
  return [
    `-A ${chain} -m comment --comment ns1/svc1:p80 -s ${ip} -j KUBE-MARK-MASQ`,
    `-A ${chain} -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination ${ip}:80`,
  ].join('\n');
}

export function svcJump(sep: string, ip: string, probability?: string): string {
  const stat = probability ? ` -m statistic --mode random --probability ${probability}` : '';
  return `-A ${SVC} -m comment --comment "ns1/svc1:p80 -> ${ip}:80"${stat} -j ${sep}`;
}

/** A Service ns1/svc1 (port p80, tcp 80 → 8080) and its EndpointSlice with the given addresses. */
export function svc1Manifests(addresses: string[]): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: svc1, namespace: ns1}',
    'spec:',
    '  clusterIP: 172.30.0.41',
    '  selector: {app: svc1}',
    '  ports:',
    '  - {name: p80, port: 80, targetPort: 80, protocol: TCP}',
    '---',
    'apiVersion: discovery.k8s.io/v1',
    'kind: EndpointSlice',
    'metadata:',
    '  name: svc1-abc',
    '  namespace: ns1',
    '  labels: {kubernetes.io/service-name: svc1}',
    'addressType: IPv4',
    'ports:',
    '- {name: p80, port: 80, protocol: TCP}',
    'endpoints:',
    ...addresses.map((a) => `- addresses: [${a}]`),
    '',
  ].join('\n');
}

/**
 * A second document set: Service `ns2/svc2` (cluster IP 172.30.0.42, port `p80` 80/TCP) with one
 * endpoint, 10.180.1.1, as a YAML stream that starts with `---` (to append to other manifests).
 * `spec` lines are added under the Service's spec.
 */
export function svc2Manifests(spec: string[] = []): string {
  return [
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: svc2, namespace: ns2}',
    'spec:',
    '  clusterIP: 172.30.0.42',
    '  selector: {app: svc2}',
    ...spec.map((l) => `  ${l}`),
    '  ports:',
    '  - {name: p80, port: 80, targetPort: 80}',
    '---',
    'apiVersion: discovery.k8s.io/v1',
    'kind: EndpointSlice',
    'metadata: {name: svc2-a, namespace: ns2, labels: {kubernetes.io/service-name: svc2}}',
    'addressType: IPv4',
    'ports: [{name: p80, port: 80}]',
    'endpoints: [{addresses: [10.180.1.1]}]',
    '',
  ].join('\n');
}

/** A Service manifest in block style; `extra` lines go under `spec:` (indented by two). */
export function serviceYaml(name: string, spec: string[], namespace = 'shop'): string {
  return ['apiVersion: v1', 'kind: Service', 'metadata:', `  name: ${name}`, `  namespace: ${namespace}`, 'spec:', ...spec.map((l) => `  ${l}`), ''].join('\n');
}

/** An EndpointSlice for service `service` with the given ports and endpoints. */
export function sliceYaml(service: string, ports: string[], endpoints: string[], namespace = 'shop'): string {
  return [
    'apiVersion: discovery.k8s.io/v1',
    'kind: EndpointSlice',
    'metadata:',
    `  name: ${service}-x1`,
    `  namespace: ${namespace}`,
    `  labels: {kubernetes.io/service-name: ${service}}`,
    'addressType: IPv4',
    `ports: [${ports.join(', ')}]`,
    'endpoints:',
    ...endpoints.map((e) => `- ${e}`),
    '',
  ].join('\n');
}
