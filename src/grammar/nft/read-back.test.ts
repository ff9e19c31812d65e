import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NftRuleSet } from '../../ast/nft-types.js';
import { printNft } from '../../ast/print-nft.js';
import { loadCluster } from '../../compiler/index.js';
import { compileNftables } from '../../compiler/nftables/index.js';
import type { IpFamily } from '../../kube/ip.js';
import { clusterArb, toObjects, yamlStream } from '../../../test/support/generated-cluster.js';
import { inPrintedOrder } from '../../../test/support/nft.js';
import { vectors } from '../../../test/support/vectors.js';
import { parseNft } from './index.js';

/**
 * What `rulec compile --mode nftables` writes reads back to the model it was printed from:
 * every nftables conformance vector's expected text, and the compiled output of every vector
 * (all modes) and of generated clusters in both families.
 */

function compile(paths: string[], family: IpFamily, read: () => string = () => ''): NftRuleSet {
  const { cluster, settings, diagnostics } = loadCluster(paths, { mode: 'nftables', family }, read);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compileNftables(cluster, settings);
}

function readBack(text: string): NftRuleSet {
  const r = parseNft(text, 'compiled.nft');
  expect(r.diagnostics).toEqual([]);
  expect(r.ruleSets).toHaveLength(1);
  return r.ruleSets[0] as NftRuleSet;
}

describe('nft -f text reads back to the compiled model', () => {
  for (const v of vectors('nftables')) {
    it(`conformance ${v.name}: expected.nft`, () => {
      const model = compile([v.input], 'ipv4');
      const expected = readFileSync(v.expected['nft'] as string, 'utf8');
      const parsed = readBack(expected);
      expect(inPrintedOrder(parsed)).toEqual(inPrintedOrder({ ...model, origin: 'nft' }));
      expect(printNft(parsed)).toBe(expected);
    });
  }

  for (const mode of ['nftables', 'iptables', 'ipvs']) {
    for (const v of vectors(mode)) {
      for (const family of ['ipv4', 'ipv6'] as const) {
        it(`${mode}/${v.name} compiled for ${family}`, () => {
          const model = compile([v.input], family);
          const parsed = readBack(printNft(model));
          expect(inPrintedOrder(parsed)).toEqual(inPrintedOrder({ ...model, origin: 'nft' }));
        });
      }
    }
  }

  it('generated clusters, both families', () => {
    fc.assert(
      fc.property(clusterArb, fc.constantFrom<IpFamily>('ipv4', 'ipv6'), (c, family) => {
        const yaml = yamlStream(toObjects(c));
        const model = compile(['-'], family, () => yaml);
        const parsed = readBack(printNft(model));
        expect(inPrintedOrder(parsed)).toEqual(inPrintedOrder({ ...model, origin: 'nft' }));
      }),
      { numRuns: 60, seed: 1 },
    );
  });

  it('keeps where each part stood', () => {
    const r = readBack(['add table ip kube-proxy { comment "rules for kube-proxy" ; }', 'add chain ip kube-proxy services', 'add set ip kube-proxy cluster-ips { type ipv4_addr ; }', 'add rule ip kube-proxy services jump x', 'add element ip kube-proxy cluster-ips { 10.0.0.1 }', ''].join('\n'));
    expect(r.pos).toEqual({ file: 'compiled.nft', line: 1, column: 14 });
    expect(r.chains[0]?.pos).toEqual({ file: 'compiled.nft', line: 2, column: 25 });
    expect(r.sets[0]?.pos).toEqual({ file: 'compiled.nft', line: 3, column: 23 });
    expect(r.chains[0]?.rules[0]?.pos).toEqual({ file: 'compiled.nft', line: 4, column: 33 });
    expect(r.sets[0]?.elements[0]?.pos).toEqual({ file: 'compiled.nft', line: 5, column: 41 });
  });
});
