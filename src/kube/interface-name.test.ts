import { describe, expect, it } from 'vitest';
import { isInterfaceName, isInterfaceNamePrefix, isIptablesInterface } from './interface-name.js';

describe('interface names', () => {
  it('takes the names the kernel gives', () => {
    for (const n of ['eth0', 'eth0.100', 'veth-a_b', 'cbr0', 'a', 'x'.repeat(15), '0x10', '@pwn', 'accept', 'a-j', '...', '#x', 'x!']) {
      expect(isInterfaceName(n), n).toBe(true);
    }
  });
  it("refuses what dev_valid_name refuses, and quotes, backslashes and control characters", () => {
    for (const n of ['', '.', '..', 'x'.repeat(16), 'a/b', 'eth0:1', 'a b', 'a\tb', 'a\nb', 'a"b', "a'b", 'a\\b', 'a\u0001', 'é', 'br+x', 'br*', 'a+', '-j', '-', '!', '!x']) {
      expect(isInterfaceName(n), JSON.stringify(n)).toBe(false);
    }
  });
  it('keeps a prefix short enough for the + wildcard', () => {
    expect(isInterfaceNamePrefix('veth')).toBe(true);
    expect(isInterfaceNamePrefix('.')).toBe(true);
    expect(isInterfaceNamePrefix('x'.repeat(14))).toBe(true);
    expect(isInterfaceNamePrefix('x'.repeat(15))).toBe(false);
    expect(isInterfaceNamePrefix('')).toBe(false);
    expect(isInterfaceNamePrefix('a:b')).toBe(false);
  });
  it('reads iptables -i values: names and prefix+ wildcards', () => {
    for (const n of ['eth0', 'cali+', '+', `${'x'.repeat(14)}+`]) expect(isIptablesInterface(n), n).toBe(true);
    for (const n of ['', `${'x'.repeat(15)}+`, 'a:b+', 'a"+', 'a b', '..', 'a++', 'a*+', '-+', '!+']) expect(isIptablesInterface(n), n).toBe(false);
  });
});
