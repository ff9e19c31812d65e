import { describe, expect, it } from 'vitest';
import rule from './nodeport-conflict.js';
import { defaultConfig } from '../config/types.js';
import { formatFinding } from '../formatters/text.js';
import { lint } from '../runner.js';
import { ruleTester } from '../testing/rule-tester.js';
import { serviceYaml } from '../testing/fixtures.js';

const svc = (name: string, ip: string, ports: string[]) => serviceYaml(name, ['type: NodePort', `clusterIP: ${ip}`, `selector: {app: ${name}}`, 'ports:', ...ports]);

ruleTester(rule, {
  valid: [
    {
      name: 'different NodePorts; one port number for TCP and UDP of one service',
      code: [
        svc('web', '10.96.0.20', ['- {name: http, port: 80, nodePort: 30080}']),
        svc('dns', '10.96.0.21', ['- {name: dns, port: 53, protocol: UDP, nodePort: 30053}', '- {name: dns-tcp, port: 53, protocol: TCP, nodePort: 30053}']),
      ].join('---\n'),
    },
  ],
  invalid: [
    {
      name: 'two services ask for 30080',
      code: [svc('web', '10.96.0.20', ['- {name: http, port: 80, nodePort: 30080}']), svc('api', '10.96.0.21', ['- {name: http, port: 8080, nodePort: 30080}'])].join(
        '---\n',
      ),
      errors: [{ message: 'nodePort 30080 of shop/api:http is already used by shop/web:http (input.txt:11)', line: 23, column: 40 }],
    },
  ],
});

describe('nodeport-conflict across files', () => {
  it('compares the Services of every file and names the file and line of each', () => {
    const r = lint(
      [
        { file: 'web/service.yaml', text: svc('web', '10.96.0.20', ['- {name: http, port: 80, nodePort: 30080}']) },
        { file: 'api/service.yaml', text: svc('api', '10.96.0.21', ['- {name: http, port: 8080, nodePort: 30080}']) },
      ],
      defaultConfig(),
      { rules: [rule] },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.findings.map(formatFinding)).toEqual([
      'api/service.yaml:11:40: error nodeport-conflict: nodePort 30080 of shop/api:http is already used by shop/web:http (web/service.yaml:11)',
    ]);
  });
});
