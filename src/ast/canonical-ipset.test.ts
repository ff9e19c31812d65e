import { CONFORMANCE as VECTORS } from '../../test/support/vectors.js';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IpsetRuleSet } from './types.js';
import { canonicalIpsetMember, canonicalIpsets, semanticCreateOptions } from './canonical-ipset.js';
import { printIpsetSave } from './print-ipset.js';
import { parseIpsetSave } from '../grammar/ipset/index.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/dumps/ipset/', import.meta.url));
const CONFORMANCE = `${VECTORS}/ipvs/`;

function parse(text: string): IpsetRuleSet {
  return parseIpsetSave(text, 'x').ruleSets[0] as IpsetRuleSet;
}

const vectorFiles = readdirSync(CONFORMANCE).flatMap((d) => readdirSync(`${CONFORMANCE}${d}`).filter((f) => f.endsWith('.ipset')).map((f) => `${d}/${f}`));

describe('canonical ipset order', () => {
  it('finds the vectors', () => expect(vectorFiles.length).toBeGreaterThanOrEqual(3));
  for (const file of vectorFiles) {
    it(`conformance ${file} is in canonical order`, () => {
      const text = readFileSync(CONFORMANCE + file, 'utf8');
      expect(printIpsetSave(canonicalIpsets(parse(text)))).toBe(text);
    });
  }

  it('the canonical kube-proxy fixture is canonical, and a kernel dump of the same sets sorts into it', () => {
    const canonical = readFileSync(`${FIXTURES}kube-proxy-node.canonical.save`, 'utf8');
    expect(printIpsetSave(canonicalIpsets(parse(canonical)))).toBe(canonical);
    // The kernel's dump (hash order, creation order, bucketsize/initval, /32 dropped):
    const dumped = parse(readFileSync(`${FIXTURES}kube-proxy-node.save`, 'utf8'));
    const sorted = canonicalIpsets(dumped);
    expect(sorted.sets.map((s) => s.name)).toEqual(parse(canonical).sets.map((s) => s.name));
    const normalise = (rs: IpsetRuleSet) =>
      rs.sets.map((s) => `${s.name} ${semanticCreateOptions(s.options).join(' ')}: ${s.members.map((m) => canonicalIpsetMember(s.type, m.value)).join(' ')}`);
    expect(normalise(sorted)).toEqual(normalise(parse(canonical)));
  });

  it('sorts names and members bytewise (upper case before lower, shorter prefix first)', () => {
    const rs = parse(
      ['create b hash:ip family inet', 'add b 10.0.0.2', 'add b 10.0.0.10', 'create B hash:ip family inet', 'create KUBE-X hash:ip family inet', 'create KUBE-X-Y hash:ip family inet', ''].join('\n'),
    );
    const sorted = canonicalIpsets(rs);
    expect(sorted.sets.map((s) => s.name)).toEqual(['B', 'KUBE-X', 'KUBE-X-Y', 'b']);
    expect(sorted.sets[3]?.members.map((m) => m.value)).toEqual(['10.0.0.10', '10.0.0.2']);
    expect(rs.sets.map((s) => s.name)).toEqual(['b', 'B', 'KUBE-X', 'KUBE-X-Y']);
  });

  it('is the same for any order of sets and members (property)', () => {
    const base = parse(readFileSync(`${FIXTURES}kube-proxy-node.save`, 'utf8'));
    const expected = printIpsetSave(canonicalIpsets(base));
    fc.assert(
      fc.property(fc.shuffledSubarray(base.sets, { minLength: base.sets.length }), fc.nat(), (sets, k) => {
        const rotated = sets.map((s) => ({ ...s, members: [...s.members.slice(k % (s.members.length + 1)), ...s.members.slice(0, k % (s.members.length + 1))] }));
        const once = canonicalIpsets({ ...base, sets: rotated });
        expect(printIpsetSave(once)).toBe(expected);
        expect(canonicalIpsets(once)).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });
});

describe('semantic helpers', () => {
  it('semanticCreateOptions drops bucketsize and initval only', () => {
    expect(semanticCreateOptions(['family', 'inet', 'hashsize', '1024', 'maxelem', '65536', 'counters', 'bucketsize', '12', 'initval', '0x9318bbb6'])).toEqual([
      'family',
      'inet',
      'hashsize',
      '1024',
      'maxelem',
      '65536',
      'counters',
    ]);
  });

  it('canonicalIpsetMember drops host-length prefixes of net parts only', () => {
    expect(canonicalIpsetMember('hash:ip,port,net', '10.0.100.21,tcp:80,10.60.7.21/32')).toBe('10.0.100.21,tcp:80,10.60.7.21');
    expect(canonicalIpsetMember('hash:ip,port,net', '10.0.100.21,tcp:80,10.0.0.0/16')).toBe('10.0.100.21,tcp:80,10.0.0.0/16');
    expect(canonicalIpsetMember('hash:ip,port,net', 'fd00::1,tcp:80,fd00::77/128')).toBe('fd00::1,tcp:80,fd00::77');
    expect(canonicalIpsetMember('hash:net', '10.1.1.1/32')).toBe('10.1.1.1');
    expect(canonicalIpsetMember('hash:ip', '10.1.1.1/32')).toBe('10.1.1.1/32');
    expect(canonicalIpsetMember('list:set', 'x/32')).toBe('x/32');
  });
});
