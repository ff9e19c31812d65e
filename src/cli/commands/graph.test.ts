import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../../../test/support/run-cli.js';
import { CONFORMANCE } from '../../../test/support/trace.js';

const input = join(CONFORMANCE, 'iptables', 'overall-iptables-rules', 'input.yaml');

describe('rulec graph', () => {
  it('prints DOT by default and Mermaid on request', async () => {
    const dot = await runCli(['graph', input, '--service', 'ns4/svc4']);
    expect(dot.code).toBe(0);
    expect(dot.stdout.startsWith('digraph rulec {\n')).toBe(true);
    expect(dot.stdout).toContain('"nat/KUBE-SERVICES" -> "nat/KUBE-SVC-4SW47YFZTEDKD3PK" [label="172.30.0.44:80/tcp cluster IP"];');
    const mm = await runCli(['graph', input, '--service', 'ns4/svc4', '--format', 'mermaid']);
    expect(mm.stdout.split('\n')[0]).toBe('flowchart LR');
    expect(mm.stdout).toMatch(/n\d+ -->\|"50%"\| n\d+/);
  });
  it('exits 1 for a service with no rules and 2 for a malformed one', async () => {
    expect((await runCli(['graph', input, '--service', 'ns9/none'])).code).toBe(1);
    expect((await runCli(['graph', input, '--service', 'bad'])).code).toBe(2);
  });
});
