import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalIpvs } from '../../ast/canonical-ipvs.js';
import { printIpsetSave } from '../../ast/print-ipset.js';
import { printIpvsadmList, printIpvsadmSave } from '../../ast/print-ipvs.js';
import type { IpsetRuleSet, IpvsRuleSet, RuleSet, VirtualService } from '../../ast/types.js';
import { parseIpsetSave } from '../../grammar/ipset/index.js';
import { parseIpvsadmList, parseIpvsadmSave } from '../../grammar/ipvsadm/index.js';
import { loadCluster } from '../index.js';
import { compileIpvs, type IpvsCompilation } from './index.js';
import { vectors } from '../../../test/support/vectors.js';

/**
 * Compiled IPVS output read back by rulec's own dump grammars: `ipvsadm -S -n` text parses and
 * prints back byte for byte; an `ipvsadm -L -n` listing of the same services parses to the same
 * virtual services and real servers; `ipset save` text parses and prints back byte for byte.
 */

interface Case {
  name: string;
  args: string[];
}

const GOLDEN = 'test/golden/ipvs';
const cases: Case[] = [
  ...vectors('ipvs').map((v) => ({ name: `vector ${v.name}`, args: [...v.flags, v.input] })),
  ...readdirSync(GOLDEN, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(GOLDEN, d.name, 'args')))
    .map((d) => ({ name: `golden ${d.name}`, args: readFileSync(join(GOLDEN, d.name, 'args'), 'utf8').trim().split(/\s+/) })),
];

/** Compiles from `rulec compile`-style arguments (paths plus --family/--node flags). */
function compileArgs(args: string[]): IpvsCompilation {
  const paths: string[] = [];
  let family: 'ipv4' | 'ipv6' | undefined;
  let node: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--family') family = args[++i] === 'ipv6' ? 'ipv6' : 'ipv4';
    else if (a === '--node') node = args[++i];
    else if (a === '--mode') i++;
    else if (!a.startsWith('--')) paths.push(a);
  }
  const { cluster, settings, diagnostics } = loadCluster(paths, { mode: 'ipvs', family, node }, () => '');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compileIpvs(cluster, settings);
}

function only<T extends RuleSet['kind']>(sets: RuleSet[], kind: T): Extract<RuleSet, { kind: T }> {
  expect(sets).toHaveLength(1);
  const s = sets[0];
  if (!s || s.kind !== kind) throw new Error(`expected one ${kind} rule set`);
  return s as Extract<RuleSet, { kind: T }>;
}

/** What a virtual service means, without positions or listing-only fields. */
function meaning(ruleSet: IpvsRuleSet) {
  return ruleSet.services.map((s: VirtualService) => ({
    protocol: s.protocol,
    address: s.address,
    port: s.port,
    family: s.family,
    scheduler: s.scheduler,
    schedulerFlags: s.schedulerFlags,
    persistence: s.persistence?.timeout ?? null,
    realServers: s.realServers.map((r) => ({ address: r.address, port: r.port, forward: r.forward, weight: r.weight })),
  }));
}

describe('compiled IPVS output read back', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(16);
  });

  for (const c of cases) {
    it(`${c.name}: ipvsadm -S text parses and prints back unchanged`, () => {
      const compiled = compileArgs(c.args);
      const text = printIpvsadmSave(compiled.ipvs);
      const parsed = parseIpvsadmSave(text, 'compiled.ipvs');
      expect(parsed.diagnostics).toEqual([]);
      const back = only(parsed.ruleSets, 'ipvs');
      expect(printIpvsadmSave(back)).toBe(text);
      expect(printIpvsadmSave(canonicalIpvs(back))).toBe(text);
      expect(meaning(back)).toEqual(meaning(compiled.ipvs));
    });

    it(`${c.name}: an ipvsadm -L -n listing gives the same services and real servers`, () => {
      const compiled = compileArgs(c.args);
      const listing = printIpvsadmList(compiled.ipvs);
      expect(listing.startsWith('IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n')).toBe(true);
      const parsed = parseIpvsadmList(listing, 'ipvsadm-Ln.txt');
      expect(parsed.diagnostics).toEqual([]);
      expect(meaning(only(parsed.ruleSets, 'ipvs'))).toEqual(meaning(compiled.ipvs));
    });

    it(`${c.name}: ipset save text parses and prints back unchanged`, () => {
      const compiled = compileArgs(c.args);
      const text = printIpsetSave(compiled.ipsets);
      const parsed = parseIpsetSave(text, 'compiled.ipset');
      expect(parsed.diagnostics).toEqual([]);
      const back: IpsetRuleSet = only(parsed.ruleSets, 'ipset');
      expect(printIpsetSave(back)).toBe(text);
      expect(back.sets.map((s) => [s.name, s.type, s.options, s.members.map((m) => m.value)])).toEqual(
        compiled.ipsets.sets.map((s) => [s.name, s.type, s.options, s.members.map((m) => m.value)]),
      );
    });
  }
});
