import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../test/support/run-cli.js';
import { CONFORMANCE } from '../../../test/support/trace.js';

describe('rulec diff', () => {
  const input = join(CONFORMANCE, 'iptables', 'overall-iptables-rules', 'input.yaml');
  it('exits 0 when a dump means what the manifests compile to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-diffcli-'));
    const dump = join(dir, 'node.rules');
    writeFileSync(dump, (await runCli(['compile', input])).stdout);
    const r = await runCli(['diff', input, dump]);
    expect(r).toEqual({ code: 0, stdout: 'no difference\n', stderr: '' });
  });
  it('exits 1 and names the service that changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-diffcli-'));
    const dump = join(dir, 'node.rules');
    const text = (await runCli(['compile', input])).stdout;
    // A node whose rules lost the second endpoint of ns4/svc4.
    const lines = text.split('\n').filter((l) => !l.includes('10.180.0.5:80'));
    writeFileSync(dump, lines.join('\n'));
    const r = await runCli(['diff', input, dump, '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.services.changed).toEqual([{ family: 'ipv4', service: 'ns4/svc4:p80', protocol: 'tcp', changes: [{ field: 'endpoints', added: [], removed: ['10.180.0.5:80'] }] }]);
    expect(j.summary[0]).toBe('ns4/svc4:p80 loses endpoint 10.180.0.5:80');
  });
  it('exits 2 on bad input', async () => {
    expect((await runCli(['diff', input, '/nonexistent/file'])).code).toBe(2);
    expect((await runCli(['diff', '-', '-'])).code).toBe(2);
  });
});
