import rule from './clusterip-outside-cidr.js';
import { ruleTester } from '../testing/rule-tester.js';
import { serviceYaml } from '../testing/fixtures.js';

const svc = (ip: string) => serviceYaml('web', [`clusterIP: ${ip}`, 'selector: {app: web}', 'ports: [{port: 80}]']);

ruleTester(rule, {
  valid: [
    { name: 'inside the service CIDR', code: svc('10.96.0.20'), settings: { serviceCIDRs: ['10.96.0.0/12'] } },
    { name: 'no service CIDR configured', code: svc('10.200.0.1') },
    { name: 'a CIDR of the other family only', code: svc('10.200.0.1'), settings: { serviceCIDRs: ['fd00:96::/108'] } },
  ],
  invalid: [
    {
      name: 'outside the configured CIDR',
      code: svc('10.200.0.1'),
      settings: { serviceCIDRs: ['10.96.0.0/12'] },
      errors: [{ message: 'cluster IP 10.200.0.1 of shop/web is outside the service CIDR 10.96.0.0/12', line: 7, column: 14 }],
    },
    {
      name: 'outside the CIDRs of the KubeProxyConfiguration annotation',
      code: `${svc('10.200.0.1')}---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
metadata:
  annotations: {rulec.io/service-cidrs: "10.96.0.0/16,10.97.0.0/16"}
`,
      errors: [{ message: 'cluster IP 10.200.0.1 of shop/web is outside the service CIDRs 10.96.0.0/16, 10.97.0.0/16', line: 7, column: 14 }],
    },
  ],
});
