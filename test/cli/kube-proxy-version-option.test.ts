import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { OLDEST_MINOR, SUPPORTED_VERSIONS } from '../../src/kube/kube-proxy-profiles.js';

/**
 * `--kube-proxy-version` on every command that compiles manifests, one option with one check;
 * `auto` where manifests are compared with a dump (the release is inferred from the dump's lines).
 */
const V120 = resolve(import.meta.dirname, '../fixtures/versions/v1.20/common');
const MANIFESTS = join(V120, 'input.yaml');
const DUMP = join(V120, 'expected.iptables');

const NOTE = `${DUMP}:1:1: note RC109: kube-proxy 1.20 inferred from ${DUMP}: line 1 a filter table without KUBE-NODEPORTS, before 1.21; line 6 an unnamed port written ns/name (ns5/svc5 has no endpoints), 1.20+; line 14 two KUBE-FORWARD conntrack rules without a CIDR, 1.18–1.22 (and 20 more lines that agree); the manifests are compiled as 1.20\n`;

const COMMANDS: ReadonlyArray<{ name: string; args: string[] }> = [
  { name: 'compile', args: [MANIFESTS] },
  { name: 'diff', args: [MANIFESTS, DUMP] },
  { name: 'lint', args: ['--no-config', '--manifests', MANIFESTS, DUMP] },
  { name: 'check', args: [MANIFESTS] },
  { name: 'trace', args: ['--dst', '172.30.0.41:80', MANIFESTS] },
  { name: 'explain', args: [MANIFESTS] },
  { name: 'graph', args: [MANIFESTS] },
];

describe('--kube-proxy-version on every command that compiles', () => {
  for (const { name, args } of COMMANDS) {
    it(`${name}: offered in --help`, async () => {
      const r = await runCli([name, '--help']);
      expect(r.stdout).toContain('--kube-proxy-version <1.N>');
    });

    it(`${name}: a release rulec does not compile is RC104, exit 2, nothing written`, async () => {
      const older = `1.${OLDEST_MINOR - 1}`;
      for (const [given, why] of [
        ['1.99', `kube-proxy 1.99 is newer than the releases rulec compiles (${SUPPORTED_VERSIONS})`],
        [older, `kube-proxy ${older} is older than the releases rulec compiles (${SUPPORTED_VERSIONS})`],
        ['latest', `expected 1.N, a kube-proxy release rulec compiles (${SUPPORTED_VERSIONS})`],
      ] as const) {
        const r = await runCli([name, '--kube-proxy-version', given, ...args]);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(`<flags>:1:1: error RC104: --kube-proxy-version ${JSON.stringify(given)}: ${why}\n`);
      }
    });
  }

  for (const name of ['compile', 'check']) {
    it(`${name}: auto is refused, for there is no dump to read it from`, async () => {
      const r = await runCli([name, '--kube-proxy-version', 'auto', MANIFESTS]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`<flags>:1:1: error RC104: --kube-proxy-version auto infers the release from a dump compared with the manifests; this command compares none: give 1.N (${SUPPORTED_VERSIONS})\n`);
    });
  }

  for (const name of ['trace', 'explain', 'graph']) {
    it(`${name}: auto with manifests alone is RC104`, async () => {
      const r = await runCli([name, '--kube-proxy-version', 'auto', ...(name === 'trace' ? ['--dst', '172.30.0.41:80'] : []), MANIFESTS]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('<flags>:1:1: error RC104: --kube-proxy-version auto: no iptables-mode dump among the inputs to infer the kube-proxy release from; give 1.N\n');
    });
  }
});

describe('diff of manifests and a dump of kube-proxy 1.20', () => {
  it('at the newest layout, the layout differs', async () => {
    const r = await runCli(['diff', MANIFESTS, DUMP]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('chain nat KUBE-XLB-X27LE4BHSL4DOUIK is only in B\n');
  });

  it('--kube-proxy-version 1.20: no difference', async () => {
    const r = await runCli(['diff', '--kube-proxy-version', '1.20', MANIFESTS, DUMP]);
    expect(r).toEqual({ code: 0, stdout: 'no difference\n', stderr: '' });
  });

  it('--kube-proxy-version auto: no difference, and says what it inferred from which lines', async () => {
    expect(await runCli(['diff', '--kube-proxy-version', 'auto', MANIFESTS, DUMP])).toEqual({ code: 0, stdout: 'no difference\n', stderr: NOTE });
    expect(await runCli(['diff', '--kube-proxy-version', 'auto', DUMP, MANIFESTS])).toEqual({ code: 0, stdout: 'no difference\n', stderr: NOTE });
  });

  it('auto with no dump on either side is RC104', async () => {
    const r = await runCli(['diff', '--kube-proxy-version', 'auto', MANIFESTS, MANIFESTS]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('<flags>:1:1: error RC104: --kube-proxy-version auto: neither side is a dump to infer the kube-proxy release from; give 1.N\n');
  });
});

describe('lint --manifests (drift) against a dump of kube-proxy 1.20', () => {
  // kubelet, not kube-proxy, creates KUBE-MARK-DROP: the restore text alone jumps to a chain it lacks.
  const lint = (...flags: string[]) => runCli(['lint', '--no-config', '--rule', 'dangling-jump=off', '--format', 'json', ...flags, '--manifests', MANIFESTS, DUMP]);

  for (const flags of [[], ['--kube-proxy-version', '1.20']]) {
    it(`${flags.join(' ') || 'the newest layout'}: no drift`, async () => {
      const r = await lint(...flags);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([]);
    });
  }

  it('auto: no drift, and a note of the release inferred', async () => {
    const r = await lint('--kube-proxy-version', 'auto');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        file: DUMP,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        ruleId: 'RC109',
        severity: 'note',
        message: NOTE.slice(`${DUMP}:1:1: note RC109: `.length, -1),
      },
    ]);
  });

  it('auto: drift found in the node layout is still drift', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-kpv-'));
    try {
      const manifests = join(dir, 'input.yaml');
      // One endpoint of ns1/svc1 more in the manifests than on the node.
      const { readFileSync } = await import('node:fs');
      writeFileSync(manifests, readFileSync(MANIFESTS, 'utf8').replace('  - ip: "10.180.0.2"\n', '  - ip: "10.180.0.2"\n  - ip: "10.180.0.9"\n'));
      const r = await runCli(['lint', '--no-config', '--rule', 'dangling-jump=off', '--format', 'json', '--kube-proxy-version', 'auto', '--manifests', manifests, DUMP]);
      const findings = JSON.parse(r.stdout) as { ruleId: string; message: string }[];
      expect(findings.filter((f) => f.ruleId === 'drift').map((f) => f.message)).toEqual(['ns1/svc1:p80 (tcp): endpoint 10.180.0.9:80 in the manifests but not in the dump']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('lint --manifests (drift) against a dump of kube-proxy 1.19', () => {
  const V119 = resolve(import.meta.dirname, '../fixtures/versions/v1.19/common');
  const drift = async (...flags: string[]) => {
    const r = await runCli(['lint', '--no-config', '--format', 'json', ...flags, '--manifests', join(V119, 'input.yaml'), join(V119, 'expected.iptables')]);
    return (JSON.parse(r.stdout) as { ruleId: string; message: string }[]).filter((f) => f.ruleId === 'drift').map((f) => f.message);
  };

  it('at the newest layout, the unnamed port written ns/name: is a service of its own, and the REJECT of a load-balancer IP is out of place', async () => {
    // 1.19 rejects an endpointless load-balancer IP in filter KUBE-SERVICES (KUBE-EXTERNAL-SERVICES
    // from 1.20), where the newest layout has only cluster IPs.
    expect(await drift()).toEqual([
      'ns5/svc5: (tcp) has rules in the dump but the manifests do not define it',
      'ns6/svc6:p80 (tcp): the cluster IP is 172.30.0.46, 5.6.7.8 in the dump but 172.30.0.46 in the manifests',
      'ns6/svc6:p80 (tcp): the set of external and load-balancer IPs is none in the dump but 5.6.7.8 in the manifests',
      `ns5/svc5 (tcp) is defined in the manifests but has no rules in ${join(V119, 'expected.iptables')}`,
    ]);
  });

  it('in the node layout (1.19, or auto): no drift', async () => {
    expect(await drift('--kube-proxy-version', '1.19')).toEqual([]);
    expect(await drift('--kube-proxy-version', 'auto')).toEqual([]);
  });
});

describe('check and explain at an older release', () => {
  it('check --kube-proxy-version 1.20 holds the golden compiled at 1.20', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-kpv-'));
    try {
      copyFileSync(MANIFESTS, join(dir, 'app.yaml'));
      copyFileSync(DUMP, join(dir, 'app.iptables'));
      const at120 = await runCli(['check', '--kube-proxy-version', '1.20', dir]);
      expect(at120.stderr).toBe('');
      expect(at120.code).toBe(0);
      const newest = await runCli(['check', dir]);
      expect(newest.code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explain --kube-proxy-version 1.20 of manifests names the releases of the KUBE-XLB- chain', async () => {
    const r = await runCli(['explain', '--kube-proxy-version', '1.20', '--chain', 'KUBE-XLB-X27LE4BHSL4DOUIK', MANIFESTS]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'External chain of ns3/svc3:p80 under externalTrafficPolicy: Local (kube-proxy before 1.24): clients outside the cluster reach only endpoints on this node, so their source address is kept. kube-proxy 1.5–1.23 wrote this KUBE-XLB- chain for externalTrafficPolicy: Local; 1.24 and later write KUBE-EXT- and KUBE-SVL- chains instead.\n',
    );
  });
});
