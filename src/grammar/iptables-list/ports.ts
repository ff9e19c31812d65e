import { servicePort } from '../../ast/xtables/netdb.js';
import type { Arg } from '../../ast/types.js';

const PORT_FLAGS: ReadonlySet<string> = new Set(['--sport', '--dport', '--sports', '--dports', '--ports']);
const DIGITS = /^[0-9]+$/;

/**
 * A listing without `-n` prints a port as the service name /etc/services gives it (`dpt:https`,
 * `multiport dports http,domain`). Turns the names of a row's port options back into numbers
 * through netdb, for the protocol of their match (`-m tcp`, or the rule's `-p` for multiport);
 * returns false when some name is not known there, which is then kept as printed.
 */
export function resolvePortNames(args: Arg[]): boolean {
  let proto = '';
  let module = '';
  let all = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    if (a.flag === '-p') proto = a.values[0] ?? '';
    else if (a.flag === '-m') module = a.values[0] ?? '';
    else if (PORT_FLAGS.has(a.flag) && a.values[0] !== undefined) {
      const numbers = portNumbers(a.values[0], module === 'multiport' ? proto : module);
      if (numbers === undefined) all = false;
      else if (numbers !== a.values[0]) args[i] = { ...a, values: [numbers] };
    }
  }
  return all;
}

/** `https` → `443`, `1000:http-alt` → `1000:8080`, `http,domain` → `80,53`; undefined for an unknown name. */
export function portNumbers(text: string, proto: string): string | undefined {
  const out: string[] = [];
  for (const item of text.split(',')) {
    const ends: string[] = [];
    for (const end of item.split(':')) {
      if (DIGITS.test(end)) ends.push(end);
      else {
        const port = servicePort(end, proto);
        if (port === undefined) return undefined;
        ends.push(String(port));
      }
    }
    out.push(ends.join(':'));
  }
  return out.join(',');
}
