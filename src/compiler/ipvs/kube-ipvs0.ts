import type { ParsedIp } from '../../kube/ip.js';

/**
 * The addresses on kube-ipvs0 as `ADDRESS/32` (IPv6: `/128`) lines, one per address, in the
 * order given (the compiler sorts them numerically): what `ip -o addr show dev kube-ipvs0`
 * lists, in a form `ip addr add` takes.
 */
export function printKubeIpvs0(addresses: readonly ParsedIp[]): string {
  return addresses.map((ip) => `${ip.text}/${ip.family === 'ipv4' ? 32 : 128}\n`).join('');
}
