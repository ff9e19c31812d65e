import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printIptablesRestore } from '../../ast/print-iptables.js';
import { printNft } from '../../ast/print-nft.js';
import { canRunKernel, inNamespace } from '../../../test/support/kernel.js';
import { loadRules } from '../input/load-rules.js';
import { Tracer } from './tracer.js';
import { CONFORMANCE } from '../../../test/support/trace.js';
import type { TraceResult } from './result.js';

/**
 * kube-proxy's own packet-flow tests: every iptables flow, traced on the compiled manifests and on
 * the iptables-save of the same rules after the kernel loaded them.
 */
interface FlowCase {
  name: string;
  source: string;
  protocol: string;
  destination: string;
  port: number;
  output: string;
  masquerade: boolean;
}

const ROOT = join(CONFORMANCE, 'trace');
const allCases = readdirSync(ROOT)
  .filter((d) => existsSync(join(ROOT, d, 'flows.json')))
  .map((d) => ({ dir: d, spec: JSON.parse(readFileSync(join(ROOT, d, 'flows.json'), 'utf8')) as { mode: string; node_ips: string[]; flows: FlowCase[] } }));
const cases = allCases.filter((c) => c.spec.mode === 'iptables');
const nftCases = allCases.filter((c) => c.spec.mode === 'nftables');

/** kube-proxy's expectation, in the terms of the trace: "A, B" = DNAT to exactly A and B. */
function expected(f: FlowCase): { verdict: string; endpoints: string[]; masquerade: boolean } {
  const out = f.output.trim();
  if (out === '') return { verdict: 'NONE', endpoints: [], masquerade: f.masquerade };
  if (['DROP', 'REJECT', 'ACCEPT'].includes(out)) return { verdict: out, endpoints: [], masquerade: f.masquerade };
  return { verdict: 'DNAT', endpoints: out.split(',').map((s) => s.trim()).sort(), masquerade: f.masquerade };
}

function got(r: TraceResult) {
  return { verdict: r.verdict, endpoints: r.endpoints.map((e) => e.destination).sort(), masquerade: r.masquerade };
}

function destination(f: FlowCase): string {
  return f.destination.includes(':') ? `[${f.destination}]:${f.port}` : `${f.destination}:${f.port}`;
}

/** Every flow traced as kube-proxy's test expects it, the shares of a DNAT summing to 1. */
function expectFlows(tracer: Tracer, flows: readonly FlowCase[]): void {
  for (const f of flows) {
    const a = tracer.trace({ destination: destination(f), source: f.source, protocol: f.protocol.toLowerCase() as 'tcp' });
    expect(a.ok && got(a.result), `${f.name}`).toEqual(expected(f));
    if (a.ok && a.result.verdict === 'DNAT') {
      const sum = a.result.endpoints.reduce((n, e) => n + e.probability, 0);
      expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
    }
  }
}

describe('kube-proxy packet-flow tests, iptables mode', () => {
  it('covers all 246 iptables flows', () => {
    expect(cases.reduce((n, c) => n + c.spec.flows.length, 0)).toBe(246);
  });
  for (const c of cases) {
    it(`${c.dir}: every flow as kube-proxy expects`, () => {
      const loaded = loadRules([join(ROOT, c.dir, 'input.yaml')], { readStdin: () => '' });
      const tracer = new Tracer({ ruleSets: loaded.ruleSets, nodeIPs: loaded.nodeIPs, podCIDRs: loaded.podCIDRs });
      expectFlows(tracer, c.spec.flows);
    });
  }
});

describe('kube-proxy packet-flow tests, nftables mode', () => {
  it('covers all 207 nftables flows', () => {
    expect(nftCases.reduce((n, c) => n + c.spec.flows.length, 0)).toBe(207);
  });
  for (const c of nftCases) {
    it(`${c.dir}: every flow as kube-proxy expects, through the compiled nftables table`, () => {
      const loaded = loadRules([join(ROOT, c.dir, 'input.yaml')], { readStdin: () => '', mode: 'nftables' });
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(loaded.nft.length).toBeGreaterThan(0);
      const tracer = new Tracer({ ruleSets: loaded.ruleSets, nft: loaded.nft, nodeIPs: loaded.nodeIPs, podCIDRs: loaded.podCIDRs });
      expectFlows(tracer, c.spec.flows);
    });
  }
});

const root = typeof process.getuid === 'function' && process.getuid() === 0;
const haveTools = ['iptables-nft-restore', 'ip6tables-nft-restore', 'unshare', 'nfacct'].every((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0);

describe('the same flows over iptables-save of the kernel-loaded rules', () => {
  it.skipIf(!root || !haveTools)('gives the same answers for every iptables flow', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-trace-kernel-'));
    for (const c of cases) {
      const compiled = loadRules([join(ROOT, c.dir, 'input.yaml')], { readStdin: () => '' });
      const dumps: string[] = [];
      for (const rs of compiled.ruleSets) {
        if (rs.kind !== 'iptables') continue;
        const tool = rs.family === 'ipv4' ? 'iptables-nft' : 'ip6tables-nft';
        const input = join(dir, `${c.dir}.${rs.family}.restore`);
        writeFileSync(input, printIptablesRestore(rs));
        const saved = execFileSync('unshare', ['-n', 'sh', '-c', `nfacct add ct_state_invalid_dropped_pkts >/dev/null; nfacct add localhost_nps_accepted_pkts >/dev/null; ${tool}-restore < "${input}" && ${tool}-save`], { encoding: 'utf8' });
        const out = join(dir, `${c.dir}.${rs.family}.save`);
        writeFileSync(out, saved);
        dumps.push(out);
      }
      const loaded = loadRules(dumps, { readStdin: () => '', nodeIPs: c.spec.node_ips });
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(loaded.kind).toBe('dump');
      const tracer = new Tracer({ ruleSets: loaded.ruleSets, nodeIPs: loaded.nodeIPs, podCIDRs: loaded.podCIDRs });
      for (const f of c.spec.flows) {
        const a = tracer.trace({ destination: destination(f), source: f.source, protocol: f.protocol.toLowerCase() as 'tcp' });
        expect(a.ok && got(a.result), `${c.dir}: ${f.name}`).toEqual(expected(f));
      }
    }
  });
});

describe.skipIf(!canRunKernel('nft'))('the nftables flows over the kernel listing of the loaded table', () => {
  it('gives the same answers for every nftables flow', () => {
    let flows = 0;
    for (const c of nftCases) {
      const compiled = loadRules([join(ROOT, c.dir, 'input.yaml')], { readStdin: () => '', mode: 'nftables' });
      const text = compiled.nft.map((rs) => printNft(rs)).join('');
      const r = inNamespace('nft -f - && nft list ruleset', text);
      expect(r.stderr).toBe('');
      const dir = mkdtempSync(join(tmpdir(), 'rulec-trace-nft-'));
      const listing = join(dir, `${c.dir}.nft`);
      writeFileSync(listing, r.stdout);
      const loaded = loadRules([listing], { readStdin: () => '', nodeIPs: c.spec.node_ips });
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(loaded.nft.length).toBe(compiled.nft.length);
      const tracer = new Tracer({ ruleSets: loaded.ruleSets, nft: loaded.nft, nodeIPs: loaded.nodeIPs, podCIDRs: compiled.podCIDRs });
      for (const f of c.spec.flows) {
        const a = tracer.trace({ destination: destination(f), source: f.source, protocol: f.protocol.toLowerCase() as 'tcp' });
        expect(a.ok && got(a.result), `${c.dir}: ${f.name}`).toEqual(expected(f));
        flows++;
      }
    }
    expect(flows).toBe(207);
  });
});
