import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../../../test/support/run-cli.js';
import { CONFORMANCE } from '../../../test/support/trace.js';

const EXPECTED = join(CONFORMANCE, 'iptables', 'overall-iptables-rules', 'expected.iptables');

describe('rulec explain', () => {
  it('explains one line of a dump in English and Chinese', async () => {
    const en = await runCli(['explain', EXPECTED, '--chain', 'KUBE-SERVICES', '--json']);
    expect(en.code).toBe(0);
    const items = JSON.parse(en.stdout) as { table: string; rule?: number; line: number; sentence: string }[];
    const first = items.find((i) => i.table === 'nat' && i.rule === 1);
    expect(first?.sentence).toBe('Packets to 172.30.0.41:80/tcp (cluster IP of ns1/svc1, port p80) go to KUBE-SVC-XPGD46QRK7WJZT7O, which picks one of the endpoints.');
    const zh = await runCli(['explain', EXPECTED, '--line', String(first?.line), '--lang', 'zh']);
    expect(zh.code).toBe(0);
    expect(zh.stdout).toBe(
      `nat KUBE-SERVICES #1 (${EXPECTED}:${first?.line})\n  -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O\n  发往 172.30.0.41:80/tcp（ns1/svc1 的端口 p80 的集群 IP）的包转到 KUBE-SVC-XPGD46QRK7WJZT7O（从所有端点中选择一个）。\n`,
    );
  });

  it('exits 1 when --chain or --line matches nothing, 2 on a bad --line', async () => {
    const r = await runCli(['explain', EXPECTED, '--chain', 'NO-SUCH-CHAIN']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('rulec explain: nothing at chain NO-SUCH-CHAIN\n');
    expect((await runCli(['explain', EXPECTED, '--line', 'x'])).code).toBe(2);
  });

  it('explains compiled manifests with the line numbers of rulec compile', async () => {
    const input = join(CONFORMANCE, 'iptables', 'v126-nodeport', 'input.yaml');
    const compiled = (await runCli(['compile', input])).stdout.split('\n');
    const r = await runCli(['explain', input, '--json']);
    const items = JSON.parse(r.stdout) as { text: string; line: number }[];
    expect(items.length).toBeGreaterThan(10);
    for (const i of items) expect(compiled[i.line - 1]).toBe(i.text);
  });
});
