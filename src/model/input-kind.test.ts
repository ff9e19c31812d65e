import { describe, expect, it } from 'vitest';
import { detectInputKind } from './input-kind.js';

describe('detectInputKind', () => {
  const cases: [string, 'manifests' | 'dump'][] = [
    ['apiVersion: v1\nkind: Service\n', 'manifests'],
    ['---\napiVersion: v1\n', 'manifests'],
    ['{"apiVersion": "v1", "kind": "List", "items": []}', 'manifests'],
    ['[\n  {"kind": "Service"}\n]', 'manifests'],
    ['[{"kind": "Service"}]', 'manifests'],
    ['$ kubectl get svc web -o yaml\napiVersion: v1\nkind: Service\n', 'manifests'],
    ['cat <<EOF | kubectl apply -f -\napiVersion: v1\n', 'manifests'],
    ['*nat\n:KUBE-SERVICES - [0:0]\nCOMMIT\n', 'dump'],
    ['[root@k8s-node01 ~]# iptables -t nat -S KUBE-SERVICES\n-A KUBE-SERVICES -j KUBE-NODEPORTS\n', 'dump'],
    ['[root@master ~]# iptables-save | grep nginx\n-A KUBE-SVC-X -j KUBE-SEP-Y\n', 'dump'],
    ['[102:8638] -A KUBE-SERVICES -j KUBE-NODEPORTS\n', 'dump'],
    ['root@node:~# ipvsadm -Ln\nIP Virtual Server version 1.2.1 (size=4096)\n', 'dump'],
    ['/ # ipset list\nName: KUBE-CLUSTER-IP\n', 'dump'],
    ['Chain KUBE-SERVICES (2 references)\ntarget prot opt source destination\n', 'dump'],
    ['', 'dump'],
  ];
  for (const [text, kind] of cases) {
    it(`${JSON.stringify(text.split('\n')[0])} is ${kind}`, () => {
      expect(detectInputKind(text)).toBe(kind);
    });
  }
});
