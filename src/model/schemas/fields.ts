import { z } from 'zod';
import { parseCidr, parseIp } from '../../kube/ip.js';
import { withPredicate } from './prevalidate.js';
import { INTERFACE_NAME_RULE, isInterfaceName, isInterfaceNamePrefix } from '../../kube/interface-name.js';

/**
 * Field rules shared by the input schemas: the Kubernetes validation rules for names, ports and
 * addresses. Every string that can reach a rule passes one of these first.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function show(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return JSON.stringify(shown);
}

/** A string schema whose custom rule is `valid`, with the rule's message for a bad value. */
function ruledString(valid: (v: string) => boolean, describe: (shown: string) => string): z.ZodString {
  const schema = z.string().superRefine((v, ctx) => {
    if (!valid(v)) ctx.addIssue({ code: 'custom', message: describe(show(v)) });
  });
  return withPredicate(schema, valid);
}

export const dns1123Label = ruledString(
  (v) => v.length <= 63 && DNS1123_LABEL.test(v),
  (shown) => `${shown} is not a valid DNS-1123 label (lower-case letters, digits and '-', at most 63)`,
);

export const dns1035Label = ruledString(
  (v) => v.length <= 63 && DNS1035_LABEL.test(v),
  (shown) => `${shown} is not a valid DNS-1035 label (a lower-case letter, then letters, digits and '-', at most 63)`,
);

export const dns1123Subdomain = ruledString(
  (v) => v.length <= 253 && DNS1123_SUBDOMAIN.test(v),
  (shown) => `${shown} is not a valid DNS-1123 subdomain`,
);

/** An IANA service name (IANA_SVC_NAME): 1-15 of a-z, 0-9 and '-', a letter, no '-' at an end or twice. */
export function isIanaServiceName(v: string): boolean {
  return v.length >= 1 && v.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(v) && /[a-z]/.test(v) && !v.includes('--');
}

/** A named targetPort: an IANA service name, whatever digits the string holds. */
export const targetPortName = ruledString(
  isIanaServiceName,
  (shown) => `${shown} is not a port name (an IANA service name: 1 to 15 lower-case letters, digits and '-', with a letter; a port number is written without quotes)`,
);

/** A network interface name, as the kernel gives them (src/interface-name.ts). */
export const interfaceName = ruledString(isInterfaceName, (shown) => `${shown} is not a valid interface name (${INTERFACE_NAME_RULE})`);

/** A prefix of interface names: as a name, and short enough for iptables' `PREFIX+`. */
export const interfaceNamePrefix = ruledString(
  isInterfaceNamePrefix,
  (shown) => `${shown} is not a valid interface name prefix (${INTERFACE_NAME_RULE.replace('1 to 15', '1 to 14')})`,
);

/** A Go duration as a KubeProxyConfiguration writes one (`30s`, `1h30m`, `0`). */
export const goDuration = ruledString(
  (v) => v === '0' || /^(\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))*$/.test(v),
  (shown) => `${shown} is not a duration (like "30s" or "1h30m")`,
);

export const portNumber = z.number().int().min(1).max(65535);
/** A port that may be 0 (unset), such as nodePort. */
export const optionalPortNumber = z.number().int().min(0).max(65535);

export const protocol = z.enum(['TCP', 'UDP', 'SCTP']);

export const ipAddress = ruledString((v) => parseIp(v) !== null, (shown) => `${shown} is not an IP address`);

export const cidr = ruledString((v) => parseCidr(v.trim()) !== null, (shown) => `${shown} is not a CIDR`);

export const stringMap = z.record(z.string(), z.string());

export const objectMeta = z.object({
  name: dns1123Subdomain,
  namespace: dns1123Label.optional(),
  labels: stringMap.nullish(),
  annotations: stringMap.nullish(),
});

/** A container port's name: an IANA service name, as a named targetPort refers to it. */
export const containerPortName = ruledString(
  isIanaServiceName,
  (shown) => `${shown} is not a port name (an IANA service name: 1 to 15 lower-case letters, digits and '-', with a letter)`,
);
