import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NEWEST_MINOR, OLDEST_MINOR, kubeProxyProfile, type KubeProxyProfile } from './kube-proxy-profiles.js';
import { VERSION_FACTS, factHolds, factReleases, formatMinors, type VersionFactId } from './kube-proxy-version-facts.js';

/**
 * The facts the inference reads and the profiles the compiler writes by say the same of every
 * release rulec compiles, wherever both hold the decision.
 */
const SAME: ReadonlyArray<readonly [VersionFactId, (p: KubeProxyProfile) => boolean]> = [
  ['extOrSvlChain', (p) => p.policyChains],
  ['bareAddress', (p) => p.bareIPs],
  ['slash32Address', (p) => !p.bareIPs],
  ['forwardOneRule', (p) => p.oneForwardConntrackRule],
  ['proxyFirewall', (p) => p.proxyFirewallChain],
  ['noProxyFirewall', (p) => !p.proxyFirewallChain],
  ['kubeFirewallInRestore', (p) => p.kubeFirewallChain],
  ['fwTrailingComment', (p) => p.fwTrailingComment],
  ['nfacct', (p) => p.nfacct],
  ['healthCheckAccept', (p) => p.filterNodePortsChain],
  ['noFilterNodePorts', (p) => !p.filterNodePortsChain],
  ['externalIPPhysdevPair', (p) => !p.externalIPSingleJump],
  ['masqueradeInServiceChain', (p) => p.masqueradeInServiceChain],
  ['unnamedPortColon', (p) => p.unnamedPortColon],
  ['unnamedPortNoColon', (p) => !p.unnamedPortColon],
];

describe('VERSION_FACTS', () => {
  for (const [fact, profileSays] of SAME) {
    it(`${fact} agrees with the profiles of 1.${OLDEST_MINOR} to 1.${NEWEST_MINOR}`, () => {
      for (let m = OLDEST_MINOR; m <= NEWEST_MINOR; m++) expect([m, factHolds(fact, m)]).toEqual([m, profileSays(kubeProxyProfile(m))]);
    });
  }

  it('spans are ordered, inside 1.1 to the newest', () => {
    for (const f of Object.values(VERSION_FACTS)) {
      let last = 0;
      for (const [from, to] of f.spans) {
        expect(from).toBeGreaterThan(last);
        expect(to).toBeGreaterThanOrEqual(from);
        expect(to).toBeLessThanOrEqual(NEWEST_MINOR);
        last = to;
      }
    }
  });

  it('says the releases of a fact in words', () => {
    expect(factReleases('xlbChain')).toBe('1.5–1.23');
    expect(factReleases('oneRulePostrouting')).toBe('1.2–1.18');
    expect(factReleases('noKubeForward')).toBe('before 1.9');
    expect(factReleases('extOrSvlChain')).toBe('1.24+');
    expect(factReleases('plainEndpointComment')).toBe('1.2–1.11, 1.18–1.23');
    expect(formatMinors([24])).toBe('1.24');
    expect(formatMinors([3, 2, 8, 9, 4])).toBe('1.2–1.4, 1.8–1.9');
  });

  it('docs/versions.md §10 lists every fact with its releases', () => {
    const doc = readFileSync(resolve(import.meta.dirname, '../../docs/versions.md'), 'utf8');
    for (const [id, f] of Object.entries(VERSION_FACTS) as [VersionFactId, (typeof VERSION_FACTS)[VersionFactId]][]) {
      const weak = 'weak' in f && f.weak ? ' (weak)' : '';
      expect(doc).toContain(`| \`${id}\` | ${f.says} | ${factReleases(id)}${weak} | ${f.doc} |`);
    }
  });
});
