import { describe, expect, it } from 'vitest';
import type { Arg } from '../../ast/types.js';
import { portNumbers, resolvePortNames } from './ports.js';

const arg = (flag: string, value: string): Arg => ({ flag, negated: false, values: [value], column: 1 });

describe('portNumbers', () => {
  it('turns service names into ports for the protocol, in ranges and lists', () => {
    expect(portNumbers('https', 'tcp')).toBe('443');
    expect(portNumbers('domain', 'udp')).toBe('53');
    expect(portNumbers('1000:http-alt', 'tcp')).toBe('1000:8080');
    expect(portNumbers('ftp-data:ftp', 'tcp')).toBe('20:21');
    expect(portNumbers('http,https,8000:8080', 'tcp')).toBe('80,443,8000:8080');
    expect(portNumbers('8080', 'tcp')).toBe('8080');
  });

  it('knows a name only for the protocols /etc/services gives it', () => {
    expect(portNumbers('mdns', 'udp')).toBe('5353');
    expect(portNumbers('mdns', 'tcp')).toBeUndefined();
    expect(portNumbers('http,no-such-service', 'tcp')).toBeUndefined();
  });
});

describe('resolvePortNames', () => {
  it('takes the protocol of -m tcp/udp, and the rule -p for multiport; keeps unknown names', () => {
    const args = [arg('-p', 'udp'), arg('-m', 'multiport'), arg('--dports', 'domain,mdns'), arg('-m', 'tcp'), arg('--sport', 'https')];
    expect(resolvePortNames(args)).toBe(true);
    expect(args.map((a) => `${a.flag} ${a.values.join(' ')}`)).toEqual(['-p udp', '-m multiport', '--dports 53,5353', '-m tcp', '--sport 443']);
    const unknown = [arg('-p', 'tcp'), arg('-m', 'tcp'), arg('--dport', 'no-such-service')];
    expect(resolvePortNames(unknown)).toBe(false);
    expect(unknown[2]?.values).toEqual(['no-such-service']);
  });
});
