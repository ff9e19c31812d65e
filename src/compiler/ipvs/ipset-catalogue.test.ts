import { describe, expect, it } from 'vitest';
import { IPSET_NAME_MAX, IPSET_SPECS, ipsetCreateOptions, ipsetName, setsOf } from './ipset-catalogue.js';
import { NEWEST_IPVS_PROFILE, kubeProxyIpvsProfile } from '../../kube/kube-proxy-ipvs-profiles.js';

describe('ipset catalogue', () => {
  it('holds the 19 sets some release of kube-proxy ensures, each name once; the newest ensures 17', () => {
    expect(IPSET_SPECS).toHaveLength(19);
    expect(new Set(IPSET_SPECS.map((s) => s.name)).size).toBe(19);
    expect(setsOf(NEWEST_IPVS_PROFILE).size).toBe(17);
    const v114 = kubeProxyIpvsProfile(14);
    expect(v114 && [...setsOf(v114)].map((k) => ipsetName(k, 'ipv4')).filter((n) => n.includes('SCTP'))).toEqual(['KUBE-NODE-PORT-SCTP', 'KUBE-NODE-PORT-LOCAL-SCTP']);
  });

  it('keeps IPv4 names and renames IPv6 ones to KUBE-6-, cut to 31 characters', () => {
    expect(ipsetName('nodePortLocalSCTP', 'ipv4')).toBe('KUBE-NODE-PORT-LOCAL-SCTP-HASH');
    expect(ipsetName('nodePortLocalSCTP', 'ipv6')).toBe('KUBE-6-NODE-PORT-LOCAL-SCTP-HAS');
    expect(ipsetName('loadBalancerSourceCIDR', 'ipv6')).toBe('KUBE-6-LOAD-BALANCER-SOURCE-CID');
    expect(ipsetName('loadBalancerSourceIP', 'ipv6')).toBe('KUBE-6-LOAD-BALANCER-SOURCE-IP');
    expect(ipsetName('ipvsIPs', 'ipv6')).toBe('KUBE-6-IPVS-IPS');
    for (const s of IPSET_SPECS) expect(ipsetName(s.key, 'ipv6').length).toBeLessThanOrEqual(IPSET_NAME_MAX);
    expect(new Set(IPSET_SPECS.map((s) => ipsetName(s.key, 'ipv6'))).size).toBe(19);
  });

  it('creates hash sets with family, hashsize and maxelem, bitmap:port sets with the full range', () => {
    expect(ipsetCreateOptions('hash:ip,port,net', 'ipv6')).toEqual(['family', 'inet6', 'hashsize', '1024', 'maxelem', '65536']);
    expect(ipsetCreateOptions('hash:ip', 'ipv4')).toEqual(['family', 'inet', 'hashsize', '1024', 'maxelem', '65536']);
    expect(ipsetCreateOptions('bitmap:port', 'ipv6')).toEqual(['range', '0-65535']);
  });
});
