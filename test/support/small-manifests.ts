/** One Service with one port, and a KubeProxyConfiguration of a mode: the smallest input a CLI test compiles. */
export const WEB_SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  clusterIP: 10.96.0.20
  ports: [{name: http, port: 80, protocol: TCP}]
`;

export const proxyConfig = (mode: string): string => `---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: ${mode}
`;
