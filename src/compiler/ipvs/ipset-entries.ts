import type { IpvsProtocol } from '../../ast/types.js';

/**
 * Member text as kube-proxy adds it (`ipset add SET ENTRY`): `IP`, `IP,proto:port`,
 * `IP,proto:port,IP2`, `IP,proto:port,CIDR`, or a bare port for `bitmap:port` sets. IPv6
 * addresses are written without brackets.
 */

export function ipPortEntry(ip: string, protocol: IpvsProtocol, port: number): string {
  return `${ip},${protocol}:${port}`;
}

export function ipPortIpEntry(ip: string, protocol: IpvsProtocol, port: number, ip2: string): string {
  return `${ip},${protocol}:${port},${ip2}`;
}

export function ipPortNetEntry(ip: string, protocol: IpvsProtocol, port: number, cidr: string): string {
  return `${ip},${protocol}:${port},${cidr}`;
}

export function portEntry(port: number): string {
  return String(port);
}
