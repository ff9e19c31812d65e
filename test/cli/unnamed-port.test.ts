import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';

// An unnamed port as kube-proxy before 1.17 wrote it: `default/nginx-svc:` (a colon, then no
// port name), beside `default/kubernetes:https`. Every reader names the service it belongs to.
const DUMP = join(import.meta.dirname, '..', 'fixtures', 'dumps', 'iptables', 'unnamed-port-old.save');

describe('an unnamed port in the old comment form', () => {
  it('is explained as the service it names', async () => {
    const r = await runCli(['explain', DUMP, '--chain', 'KUBE-SVC-R2VK7O5AFVLRAXSH']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Service chain of default/nginx-svc: splits new connections');
    expect(r.stdout).toContain('50% of all new connections to default/nginx-svc.');
    expect(r.stdout).not.toContain('kubernetes');
  });

  it('is traced to the service it names', async () => {
    const r = await runCli(['trace', DUMP, '--dst', '10.100.12.7:80', '--proto', 'tcp']);
    expect(r.stdout).toContain('service: default/nginx-svc (cluster IP)');
  });

  it('is diffed as the service it names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-unnamed-'));
    try {
      const changed = join(dir, 'changed.save');
      writeFileSync(changed, readFileSync(DUMP, 'utf8').replaceAll('10.244.2.9', '10.244.2.99'));
      const r = await runCli(['diff', DUMP, changed]);
      expect(r.stdout).toBe('default/nginx-svc gains endpoint 10.244.2.99:80\ndefault/nginx-svc loses endpoint 10.244.2.9:80\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is summarised as the service it names', async () => {
    const r = await runCli(['parse', '--summary', '--json', DUMP]);
    const summary = JSON.parse(r.stdout) as { services: { chain: string; comment: string; service: string }[] };
    expect(summary.services.map((s) => [s.chain, s.comment, s.service])).toEqual([
      ['KUBE-SVC-NPX46M4PTMTKRN6Y', 'default/kubernetes:https cluster IP', 'default/kubernetes:https'],
      ['KUBE-SVC-R2VK7O5AFVLRAXSH', 'default/nginx-svc: cluster IP', 'default/nginx-svc'],
    ]);
  });
});
