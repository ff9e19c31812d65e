import { describe, expect, it } from 'vitest';
import rule from './clusterip-conflict.js';
import { defaultConfig } from '../config/types.js';
import { formatFinding } from '../formatters/text.js';
import { lint } from '../runner.js';
import { ruleTester } from '../testing/rule-tester.js';
import { serviceYaml } from '../testing/fixtures.js';

const svc = (name: string, ip: string) => serviceYaml(name, [`clusterIP: ${ip}`, `selector: {app: ${name}}`, 'ports: [{port: 80}]']);

ruleTester(rule, {
  valid: [
    { name: 'distinct cluster IPs; headless services share none', code: [svc('web', '10.96.0.20'), svc('api', '10.96.0.21'), svc('db', 'None'), svc('db2', 'None')].join('---\n') },
  ],
  invalid: [
    {
      name: 'two services with one cluster IP',
      code: [svc('web', '10.96.0.20'), svc('api', '10.96.0.20')].join('---\n'),
      errors: [{ message: 'cluster IP 10.96.0.20 of shop/api is also the cluster IP of shop/web (input.txt:7)', line: 17, column: 14 }],
    },
    {
      name: 'an IPv6 address of a dual-stack service, written in another form',
      code: [
        serviceYaml('web', ['ipFamilyPolicy: PreferDualStack', 'ipFamilies: [IPv4, IPv6]', 'clusterIPs: [10.96.0.20, "fd00:10:96::20"]', 'ports: [{port: 80}]']),
        serviceYaml('api', ['ipFamilies: [IPv6]', 'clusterIP: "fd00:10:96:0::20"', 'ports: [{port: 80}]']),
      ].join('---\n'),
      errors: [{ message: 'cluster IP fd00:10:96::20 of shop/api is also the cluster IP of shop/web (input.txt:9)', line: 19, column: 14 }],
    },
  ],
});

describe('clusterip-conflict across files', () => {
  it('compares the Services of every file and names the file and line of each', () => {
    const r = lint(
      [
        { file: 'web/service.yaml', text: svc('web', '10.96.0.20') },
        { file: 'api/service.yaml', text: svc('api', '10.96.0.20') },
      ],
      defaultConfig(),
      { rules: [rule] },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.findings.map(formatFinding)).toEqual([
      'api/service.yaml:7:14: error clusterip-conflict: cluster IP 10.96.0.20 of shop/api is also the cluster IP of shop/web (web/service.yaml:7)',
    ]);
  });
});
