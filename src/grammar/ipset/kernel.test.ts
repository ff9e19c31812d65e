import { CONFORMANCE as VECTORS } from '../../../test/support/vectors.js';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IpsetRuleSet } from '../../ast/types.js';
import { canonicalIpsetMember, canonicalIpsets, semanticCreateOptions } from '../../ast/canonical-ipset.js';
import { printIpsetSave } from '../../ast/print-ipset.js';
import { parseIpsetList, parseIpsetSave } from './index.js';

/**
 * The fixtures against the real ipset: each is loaded with `ipset restore` in a private network
 * namespace (`unshare -n`), dumped again with `ipset save`, and both texts are parsed and
 * compared. Runs as root with ipset installed (as CI does); skipped otherwise.
 */

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/dumps/ipset/', import.meta.url));
const CONFORMANCE = `${VECTORS}/ipvs/`;

const isRoot = process.getuid?.() === 0;
const hasTools = spawnSync('ipset', ['version']).status === 0 && spawnSync('unshare', ['--version']).status === 0;
const canRun = isRoot && hasTools;

function inNamespace(script: string, input: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('unshare', ['-n', 'sh', '-c', script], { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Set types this kernel has (modules such as ip_set_hash_ipmac are not everywhere). */
const typeSupport = new Map<string, boolean>();
function kernelHas(type: string): boolean {
  let known = typeSupport.get(type);
  if (known === undefined) {
    const extra = type === 'bitmap:ip' ? ' range 10.0.0.0/24' : type === 'bitmap:port' ? ' range 0-1' : '';
    known = canRun && inNamespace(`ipset create probe ${type}${extra}`, '').status === 0;
    typeSupport.set(type, known);
  }
  return known;
}

/** The sets in a form that two dumps of the same kernel state share. */
function semantic(rs: IpsetRuleSet): unknown[] {
  return canonicalIpsets(rs).sets.map((s) => ({
    name: s.name,
    type: s.type,
    options: semanticCreateOptions(s.options),
    members: s.members.map((m) => [canonicalIpsetMember(s.type, m.value), m.options]).sort(),
  }));
}

function saveParse(text: string): IpsetRuleSet {
  const result = parseIpsetSave(text, 'kernel');
  expect(result.diagnostics).toEqual([]);
  return result.ruleSets[0] as IpsetRuleSet;
}

function roundTripThroughKernel(restoreText: string): IpsetRuleSet {
  const r = inNamespace('ipset restore && ipset save', restoreText);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return saveParse(r.stdout);
}

const saveFixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.save'));
const listFixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.list') && !f.includes('terse'));
const vectorFiles = readdirSync(CONFORMANCE).flatMap((d) => readdirSync(`${CONFORMANCE}${d}`).filter((f) => f.endsWith('.ipset')).map((f) => `${d}/${f}`));

function typesOf(rs: IpsetRuleSet): string[] {
  return rs.sets.map((s) => s.type);
}

describe.skipIf(!canRun)('ipset fixtures in the real ipset (unshare -n)', () => {
  for (const name of saveFixtures) {
    const parsed = parseIpsetSave(readFileSync(FIXTURES + name, 'utf8'), name).ruleSets[0] as IpsetRuleSet;
    const missing = typesOf(parsed).filter((t) => !kernelHas(t));
    it.skipIf(missing.length > 0)(`${name}: ipset restore accepts it and ipset save gives the same sets${missing.length ? ` (kernel lacks ${missing.join(', ')})` : ''}`, () => {
      const text = readFileSync(FIXTURES + name, 'utf8');
      expect(semantic(roundTripThroughKernel(text))).toEqual(semantic(saveParse(text)));
    });
  }

  for (const name of listFixtures) {
    it(`${name}: the listed sets, printed as ipset restore text, load and save back the same`, () => {
      const result = parseIpsetList(readFileSync(FIXTURES + name, 'utf8'), name);
      expect(result.diagnostics).toEqual([]);
      const listed = result.ruleSets[0] as IpsetRuleSet;
      expect(semantic(roundTripThroughKernel(printIpsetSave(listed)))).toEqual(semantic(listed));
    });
  }

  for (const file of vectorFiles) {
    it(`conformance ${file}: ipset restore accepts it`, () => {
      const text = readFileSync(CONFORMANCE + file, 'utf8');
      expect(semantic(roundTripThroughKernel(text))).toEqual(semantic(saveParse(text)));
    });
  }

  it('the canonical kube-proxy text equals what the kernel saves once sorted', () => {
    const canonical = readFileSync(`${FIXTURES}kube-proxy-node.canonical.save`, 'utf8');
    const fromKernel = roundTripThroughKernel(canonical);
    const stripped: IpsetRuleSet = {
      ...fromKernel,
      sets: fromKernel.sets.map((s) => ({ ...s, options: semanticCreateOptions(s.options) })),
    };
    // Sorted, with bucketsize/initval dropped, the kernel's dump is the canonical text except
    // for the /32 that ipset save drops from a net member.
    expect(printIpsetSave(canonicalIpsets(stripped))).toBe(canonical.replace('10.60.7.21/32', '10.60.7.21'));
  });

  const rejected: Array<[string, string]> = [
    ['set name longer than 31 characters', 'create KUBE-6-LOAD-BALANCER-SOURCE-CIDR hash:ip,port,net family inet6 hashsize 1024 maxelem 65536\n'],
    ['member of the wrong shape', 'create s hash:ip,port family inet hashsize 1024 maxelem 65536\nadd s 10.0.0.1\n'],
    ['IPv6 member in an inet set', 'create s hash:ip family inet hashsize 1024 maxelem 65536\nadd s fd00::1\n'],
    ['member added twice', 'create s hash:ip family inet hashsize 1024 maxelem 65536\nadd s 10.0.0.1\nadd s 10.0.0.1\n'],
    ['add to a set never created', 'add nope 10.0.0.1\n'],
    ['unknown create option', 'create s hash:ip family inet sizehash 1024\n'],
    ['port out of range', 'create p bitmap:port range 0-65535\nadd p 70000\n'],
  ];
  for (const [what, text] of rejected) {
    it(`rulec and ipset restore both reject: ${what}`, () => {
      const ours = parseIpsetSave(text, 'x').diagnostics.filter((d) => d.severity === 'error');
      expect(ours.length).toBeGreaterThan(0);
      const theirs = inNamespace('ipset restore', text);
      expect(theirs.status).not.toBe(0);
      expect(theirs.stderr).toMatch(/^ipset v[\d.]+: /);
    });
  }
});
