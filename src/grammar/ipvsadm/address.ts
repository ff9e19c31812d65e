import type { IpFamily } from '../../ast/types.js';
import { isIpv4Literal, isIpv6Literal } from '../ip-literal.js';

/**
 * `ADDR[:PORT]` as ipvsadm writes and reads it: IPv4 dotted quad, IPv6 in brackets
 * (`[fd00::1]:80`), or a bare IPv6 address without port. Listings without `-n` put host and
 * service names in the same places; `allowNames` keeps that text instead of rejecting it.
 */
export interface HostPort {
  address: string;
  family: IpFamily;
  /** 0 when no port was written or the port is a name. */
  port: number;
  /** Whether the text had a `:PORT` part. */
  hasPort: boolean;
  /** The port text when it is not a number (listings without `-n`). */
  portName?: string;
  /** False when the address is a host name rather than a literal address. */
  numericAddress: boolean;
}

export type HostPortResult = { ok: true; value: HostPort } | { ok: false; message: string };

const DIGITS = /^\d+$/;

export function parseHostPort(text: string, allowNames: boolean): HostPortResult {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return fail(`'${text}' lacks the closing ']' of an IPv6 address`);
    const host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return fail(`unexpected '${rest}' after ']' in '${text}'`);
    const numeric = isIpv6Literal(host);
    if (!numeric && !allowNames) return fail(`'${host}' is not an IPv6 address`);
    return withPort(host, 'ipv6', numeric, rest === '' ? undefined : rest.slice(1), text, allowNames);
  }
  if (isIpv6Literal(text)) {
    return { ok: true, value: { address: text, family: 'ipv6', port: 0, hasPort: false, numericAddress: true } };
  }
  const colon = text.lastIndexOf(':');
  const host = colon < 0 ? text : text.slice(0, colon);
  const numeric = isIpv4Literal(host);
  if (!numeric && (!allowNames || host === '' || host.includes(':'))) {
    return fail(`'${host}' is not an IPv4 address`);
  }
  return withPort(host, 'ipv4', numeric, colon < 0 ? undefined : text.slice(colon + 1), text, allowNames);
}

function withPort(
  address: string,
  family: IpFamily,
  numericAddress: boolean,
  portText: string | undefined,
  whole: string,
  allowNames: boolean,
): HostPortResult {
  if (portText === undefined) return { ok: true, value: { address, family, port: 0, hasPort: false, numericAddress } };
  if (DIGITS.test(portText)) {
    const port = Number(portText);
    if (port > 65535) return fail(`port ${portText} in '${whole}' is out of range 0-65535`);
    return { ok: true, value: { address, family, port, hasPort: true, numericAddress } };
  }
  if (!allowNames || portText === '') return fail(`'${portText}' in '${whole}' is not a port number`);
  return { ok: true, value: { address, family, port: 0, hasPort: true, portName: portText, numericAddress } };
}

function fail(message: string): HostPortResult {
  return { ok: false, message };
}

/** Reads a non-negative decimal integer no larger than `max`; null otherwise. */
export function parseUint(text: string, max: number): number | null {
  if (!DIGITS.test(text)) return null;
  const n = Number(text);
  return n <= max ? n : null;
}
