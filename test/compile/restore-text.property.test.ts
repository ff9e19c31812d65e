import { join } from 'node:path';
import fc from 'fast-check';
import { CONFORMANCE } from '../support/vectors.js';
import { describe, expect, it } from 'vitest';
import { printIptablesRestore } from '../../src/ast/print-iptables.js';
import { addHooks, compileIptables, loadCluster } from '../../src/compiler/index.js';
import { compileIptablesText, compileIptablesTextTo, expectedTextBytes } from '../../src/compiler/iptables/index.js';
import { RestoreTextWriter } from '../../src/compiler/iptables/restore-text-writer.js';
import { clusterArb, toObjects, yamlStream, type Obj } from '../support/generated-cluster.js';

/**
 * `rulec compile` writes iptables text straight from the backend's decisions; every other
 * command reads the AST. Both must give the same bytes for any cluster.
 */

function load(docs: Obj[]) {
  const loaded = loadCluster(['-'], {}, () => yamlStream(docs));
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded;
}

const STALE = { 'rulec.io/existing-nat-chains': 'KUBE-SVC-AAAAAAAAAAAAAAAA, KUBE-SEP-BBBBBBBBBBBBBBBB, KUBE-SVC-XPGD46QRK7WJZT7O' };

describe('restore text written directly', () => {
  it('equals the printed canonical AST, with and without hooks, for generated clusters', () => {
    fc.assert(
      fc.property(clusterArb, fc.boolean(), (c, stale) => {
        const docs = toObjects(c);
        const config = docs[0] as { metadata?: unknown };
        if (stale) config.metadata = { annotations: STALE };
        const { cluster, settings } = load(docs);
        const ast = compileIptables(cluster, settings);
        const text = compileIptablesText(cluster, settings).toString();
        expect(text).toBe(printIptablesRestore(ast));
        expect(text.includes('-X KUBE-SEP-BBBBBBBBBBBBBBBB\n')).toBe(stale);
        expect(compileIptablesText(cluster, settings, { withHooks: true }).toString()).toBe(printIptablesRestore(addHooks(ast)));
      }),
      { numRuns: 150 },
    );
  });

  it('hands over the same bytes in chunks of whole lines, whatever the chunk size', () => {
    fc.assert(
      fc.property(clusterArb, fc.boolean(), fc.integer({ min: 1, max: 4096 }), (c, withHooks, chunkBytes) => {
        const { cluster, settings } = load(toObjects(c));
        const chunks: Buffer[] = [];
        // A chunk is valid only while the sink runs: the same buffer holds the next one.
        compileIptablesTextTo((chunk) => chunks.push(Buffer.from(chunk)), cluster, settings, { withHooks, chunkBytes });
        expect(Buffer.concat(chunks).equals(compileIptablesText(cluster, settings, { withHooks }))).toBe(true);
        for (const chunk of chunks.slice(0, -1)) {
          expect(chunk.length).toBeGreaterThanOrEqual(chunkBytes);
          expect(chunk[chunk.length - 1]).toBe(10);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('equals it for a cluster past the large-cluster threshold (no per-endpoint comments)', () => {
    const c = fc.sample(clusterArb, { seed: 7, numRuns: 1 })[0];
    if (!c) throw new Error('no sample');
    const big = { ...c, services: Array.from({ length: 60 }, () => ({ ...(c.services[0] as (typeof c.services)[number]), endpoints: Array.from({ length: 25 }, (_, h) => ({ host: h + 1, ready: true, serving: true, terminating: false, node: 'node-a' as const })), headless: false })) };
    const { cluster, settings } = load(toObjects(big));
    const text = compileIptablesText(cluster, settings).toString();
    expect(text).toBe(printIptablesRestore(compileIptables(cluster, settings)));
    expect(text).not.toContain(' -> 10.');
  });

  it('sets aside room for the rule text from the cluster size, within bounds', () => {
    // Endpoints with per-endpoint comments, the longest kind of rule text: the room the
    // endpoints and service ports are given holds it without the first megabyte.
    const { cluster, settings } = loadCluster([join(CONFORMANCE, 'iptables', 'derived-large-cluster-threshold-1000', 'input.yaml')], {}, () => '');
    const reserved = expectedTextBytes(cluster);
    expect(reserved - (1 << 20)).toBeGreaterThan(compileIptablesText(cluster, settings).length);
    // Capped at 2 GiB (a positive size, whatever the cluster).
    const slice = cluster.slices[0] as (typeof cluster.slices)[number];
    const huge = { ...cluster, slices: [{ ...slice, endpoints: new Array<(typeof slice.endpoints)[number]>(3_000_000) }] };
    expect(expectedTextBytes(huge)).toBe(2 ** 31);
  });

  it('refuses a rule started before the previous one was added', () => {
    const out = new RestoreTextWriter(['nat']);
    out.rule('nat', 'KUBE-SVC-A').jump('KUBE-SEP-A');
    expect(() => out.rule('nat', 'KUBE-SVC-B')).toThrow('a rule of KUBE-SVC-B was started before the rule of KUBE-SVC-A was added');
  });

  it('keeps the rules of a chain written in several runs in the order written', () => {
    const out = new RestoreTextWriter(['nat']);
    out.rule('nat', 'KUBE-SVC-B').jump('KUBE-SEP-1').add();
    out.rule('nat', 'KUBE-SVC-A').jump('KUBE-SEP-2').add();
    out.declare('nat', 'KUBE-SVC-B');
    out.rule('nat', 'KUBE-SVC-B').opt('-s', '10.0.0.0/8').jump('KUBE-SEP-3').add();
    expect(out.isDeclared('nat', 'KUBE-SVC-B')).toBe(true);
    expect(out.isDeclared('nat', 'KUBE-SVC-C')).toBe(false);
    expect(out.bytes().toString()).toBe(
      ['*nat', ':KUBE-SVC-A - [0:0]', ':KUBE-SVC-B - [0:0]', '-A KUBE-SVC-A -j KUBE-SEP-2', '-A KUBE-SVC-B -j KUBE-SEP-1', '-A KUBE-SVC-B -s 10.0.0.0/8 -j KUBE-SEP-3', 'COMMIT', ''].join('\n'),
    );
  });
  it('writes again, into another writer, what it took since a mark: the same text as writing it there', () => {
    // Rules of two "service ports" over shared and own chains, sorted by service or not.
    const writePort = (out: RestoreTextWriter, n: string) => {
      out.rule('nat', 'KUBE-SERVICES').comment(`ns/svc-${n}:http cluster IP`).protocol('tcp').opt('-d', `10.96.0.${n}`).jump(`KUBE-SVC-${n}`).add();
      out.declare('nat', `KUBE-SVC-${n}`);
      out.rule('nat', `KUBE-SVC-${n}`).jump(`KUBE-SEP-${n}`).add();
      out.rule('nat', `KUBE-SEP-${n}`).opt('-s', `10.244.0.${n}`).jump('KUBE-MARK-MASQ').add();
      out.rule('nat', `KUBE-SEP-${n}`).protocol('tcp').jump('DNAT', { flag: '--to-destination', negated: false, values: [`10.244.0.${n}:80`] }).add();
      out.rule('filter', 'KUBE-EXTERNAL-SERVICES').comment(`ns/svc-${n}:http has no local endpoints`).protocol('tcp').opt('--dport', `3000${n}`).jump('DROP').add();
    };
    const direct = new RestoreTextWriter(['filter', 'nat']);
    for (const n of ['3', '1', '2']) writePort(direct, n);
    // Port 1 taken from one writer and written again into another, between the other two.
    const first = new RestoreTextWriter(['filter', 'nat']);
    writePort(first, '9');
    const mark = first.mark();
    writePort(first, '1');
    const taken = first.rulesSince(mark);
    const replayed = new RestoreTextWriter(['filter', 'nat']);
    writePort(replayed, '3');
    replayed.replay(taken);
    writePort(replayed, '2');
    expect(replayed.bytes().toString()).toBe(direct.bytes().toString());
    expect(replayed.isDeclared('nat', 'KUBE-SEP-1')).toBe(true);
  });
});
