import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFiles, loadCluster } from '../../src/compiler/index.js';
import { compileNftables } from '../../src/compiler/nftables/index.js';
import { printNft } from '../../src/ast/print-nft.js';
import { canRunKernel, inNamespace, restoreTest } from '../support/kernel.js';
import { clusterArb, shuffler, toObjects, yamlStream, type Obj } from '../support/generated-cluster.js';

/**
 * Properties over generated clusters: the output does not depend on the order of documents or
 * of keys, YAML and a JSON List give the same bytes, and the real iptables-restore accepts
 * every output.
 */

function compileText(text: string): string {
  const r = compileFiles(['-'], { readStdin: () => text });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.text ?? '';
}

describe('compile is deterministic', () => {
  it('document order, key order and YAML vs JSON List never change the bytes', () => {
    fc.assert(
      fc.property(clusterArb, fc.integer(), (c, seed) => {
        const docs = toObjects(c);
        const reference = compileText(yamlStream(docs));
        const s = shuffler(seed);
        const shuffled = s.shuffle(docs).map((d) => s.deep(d) as Obj);
        expect(compileText(yamlStream(shuffled))).toBe(reference);
        expect(compileText(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: shuffled }))).toBe(reference);
      }),
      { numRuns: 150 },
    );
  });
});

describe.skipIf(!canRunKernel('iptables-nft-restore', 'nfacct'))('generated outputs load', () => {
  it('the real iptables-restore --test accepts every output (with hooks, so every jump resolves)', () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const r = compileFiles(['-'], { readStdin: () => yamlStream(toObjects(c)), withHooks: true });
        const res = restoreTest('iptables-nft-restore', r.text ?? '');
        expect(res.stderr).toBe('');
        expect(res.status).toBe(0);
      }),
      { numRuns: 40 },
    );
  });
});

function compileNftText(text: string): string {
  const { cluster, settings, diagnostics } = loadCluster(['-'], { mode: 'nftables' }, () => text);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return printNft(compileNftables(cluster, settings));
}

describe('nftables compile is deterministic', () => {
  it('document order, key order and YAML vs JSON List never change the bytes', () => {
    fc.assert(
      fc.property(clusterArb, fc.integer(), (c, seed) => {
        const docs = toObjects(c);
        const reference = compileNftText(yamlStream(docs));
        const s = shuffler(seed);
        const shuffled = s.shuffle(docs).map((d) => s.deep(d) as Obj);
        expect(compileNftText(yamlStream(shuffled))).toBe(reference);
        expect(compileNftText(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: shuffled }))).toBe(reference);
      }),
      { numRuns: 100 },
    );
  });
});

describe.skipIf(!canRunKernel('nft'))('generated nftables outputs load', () => {
  it('the real nft -f loads every output', () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const res = inNamespace('nft -f -', compileNftText(yamlStream(toObjects(c))));
        expect(res.stderr).toBe('');
        expect(res.status).toBe(0);
      }),
      { numRuns: 40 },
    );
  });
});
