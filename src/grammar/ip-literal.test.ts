import { describe, expect, it } from 'vitest';
import type { IptablesRuleSet, IpvsRuleSet } from '../ast/types.js';
import { canonicalIpvs, compareIpvsAddresses, ipvsAddressBytes } from '../ast/canonical-ipvs.js';
import { printIpvsadmSave } from '../ast/print-ipvs.js';
import { parseAddressSpec } from '../analysis/trace/address-spec.js';
import { isIpv4Literal, isIpv6Literal } from './ip-literal.js';
import { parseIptablesSave } from './iptables-save/index.js';
import { checkMember } from './ipset/checks.js';
import { parseIpsetSave } from './ipset/index.js';
import { parseHostPort } from './ipvsadm/address.js';
import { parseIpvsadmSave } from './ipvsadm/index.js';

/**
 * Dumps print IPv6 addresses whose last 32 bits look like IPv4 with a dotted tail (glibc's
 * inet_ntop writes `::169.254.169.254` and `::ffff:10.0.0.1`): they are IPv6 addresses, and every
 * parser keeps them so.
 */
describe('address literals in dumps', () => {
  it('reads dotted tails as IPv6, never as the IPv4 address inside', () => {
    for (const t of ['::169.254.169.254', '::ffff:10.0.0.1', '::FFFF:10.0.0.1', '0:0:0:0:0:ffff:10.0.0.1', '64:ff9b::1.2.3.4']) {
      expect(isIpv6Literal(t), t).toBe(true);
      expect(isIpv4Literal(t), t).toBe(false);
    }
  });
  it('rejects what inet_pton rejects: hex or short IPv4, leading zeros in a dotted tail, zones', () => {
    for (const t of ['::01.2.3.4', '::0x1.2.3.4', '::1.2.3', 'fe80::1%eth0', '1::2::3']) expect(isIpv6Literal(t), t).toBe(false);
    for (const t of ['127.1', '0x7f.0.0.1', '1.2.3.256', '::1']) expect(isIpv4Literal(t), t).toBe(false);
    expect(isIpv4Literal('10.0.0.1')).toBe(true);
  });

  it('ipvsadm: a bracketed or bare address with a dotted tail is IPv6', () => {
    expect(parseHostPort('[::169.254.169.254]:80', false)).toEqual({
      ok: true,
      value: { address: '::169.254.169.254', family: 'ipv6', port: 80, hasPort: true, numericAddress: true },
    });
    expect(parseHostPort('::ffff:10.0.0.1', false)).toMatchObject({ ok: true, value: { address: '::ffff:10.0.0.1', family: 'ipv6' } });
    expect(parseHostPort('[::01.2.3.4]:80', false).ok).toBe(false);
  });

  it('ipvsadm: such services are IPv6 and sort by their real bytes', () => {
    const text = ['-A -t [::ffff:0.0.0.1]:80 -s rr', '-A -t [::169.254.169.254]:80 -s rr', '-a -t [::169.254.169.254]:80 -r [::ffff:10.0.0.1]:80 -m -w 1', '-A -t 10.0.0.1:80 -s rr', ''].join('\n');
    const result = parseIpvsadmSave(text, 'ipvs.txt');
    expect(result.diagnostics).toEqual([]);
    const rs = result.ruleSets[0] as IpvsRuleSet;
    expect(rs.services.map((s) => [s.address, s.family])).toEqual([
      ['::ffff:0.0.0.1', 'ipv6'],
      ['::169.254.169.254', 'ipv6'],
      ['10.0.0.1', 'ipv4'],
    ]);
    expect(rs.services[1]?.realServers.map((r) => r.address)).toEqual(['::ffff:10.0.0.1']);
    // ::a9fe:a9fe is below ::ffff:0:1; IPv4 comes first.
    expect(printIpvsadmSave(canonicalIpvs(rs))).toBe(
      ['-A -t 10.0.0.1:80 -s rr', '-A -t [::169.254.169.254]:80 -s rr', '-a -t [::169.254.169.254]:80 -r [::ffff:10.0.0.1]:80 -m -w 1', '-A -t [::ffff:0.0.0.1]:80 -s rr', ''].join('\n'),
    );
    expect(ipvsAddressBytes('::169.254.169.254')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 169, 254, 169, 254]);
    expect(compareIpvsAddresses('::169.254.169.254', '::ffff:0.0.0.1')).toBeLessThan(0);
  });

  it('ipset: such members belong in inet6 sets, not inet sets', () => {
    expect(checkMember('hash:ip', 'inet', '::169.254.169.254')).toBe(`'::169.254.169.254' is an IPv6 address in an inet set`);
    expect(checkMember('hash:ip', 'inet', '::ffff:10.0.0.1')).toBe(`'::ffff:10.0.0.1' is an IPv6 address in an inet set`);
    expect(checkMember('hash:ip,port', 'inet6', '::169.254.169.254,tcp:80')).toBeNull();
    expect(checkMember('hash:net', 'inet6', '::ffff:10.0.0.0/104')).toBeNull();
    expect(checkMember('hash:ip', 'inet6', '::01.2.3.4')).toBe(`'::01.2.3.4' is not an IP address`);
    const parsed = parseIpsetSave('create S hash:ip family inet hashsize 1024 maxelem 65536\nadd S ::169.254.169.254\n', 'sets.txt');
    expect(parsed.diagnostics.map((d) => d.message)).toEqual([`'::169.254.169.254' is an IPv6 address in an inet set`]);
  });

  it('iptables-save: a rule set with such addresses is IPv6, and rules match them as IPv6', () => {
    const r = parseIptablesSave('*nat\n:X - [0:0]\n-A X -d ::169.254.169.254/128 -j DNAT --to-destination [::ffff:10.0.0.1]:80\nCOMMIT\n', 'f');
    expect(r.diagnostics).toEqual([]);
    expect(r.ruleSets.map((rs) => (rs as IptablesRuleSet).family)).toEqual(['ipv6']);
    expect(parseAddressSpec('::169.254.169.254/128')).toEqual([
      { family: 'ipv6', text: '::a9fe:a9fe/128', prefix: 128, network: { family: 'ipv6', text: '::a9fe:a9fe', bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 169, 254, 169, 254] } },
    ]);
    expect(parseAddressSpec('::ffff:10.0.0.0/104')?.map((c) => [c.family, c.text])).toEqual([['ipv6', '::ffff:10.0.0.0/104']]);
  });
});
