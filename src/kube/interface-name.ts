/**
 * The one definition of a network interface name, shared by the settings that name interfaces
 * (`detectLocal.bridgeInterface`, `detectLocal.interfaceNamePrefix`) and the iptables-save
 * grammar (`-i`, `-o`).
 *
 * The kernel's rule (`dev_valid_name`): 1 to 15 bytes (IFNAMSIZ - 1), not `.` or `..`, no `/`,
 * no `:` and no white space. On top of it, only printable ASCII without quotes or a backslash,
 * so that a name is one word in `iptables-restore` text and fits in double quotes in `nft -f`
 * text, where nothing can escape a quote; and neither `+` nor `*`, the wildcards of iptables
 * (`eth+`) and nft (`eth*`), so that a name always means that one interface. Nor does a name
 * start with `-` or `!`, which iptables text would read as an option or a negation.
 */

/** IFNAMSIZ - 1: the longest name the kernel takes. */
export const MAX_INTERFACE_NAME = 15;

/** Printable ASCII but `"`, `'`, `*`, `+`, `/`, `:` and `\` (the space is not printable here). */
function isNameChar(c: number): boolean {
  return c > 0x20 && c < 0x7f && c !== 0x22 && c !== 0x27 && c !== 0x2a && c !== 0x2b && c !== 0x2f && c !== 0x3a && c !== 0x5c;
}

/** Whether `s` starts as an option (`-j`) or a negation (`!`) would in iptables text. */
function startsLikeSyntax(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === 0x2d || c === 0x21;
}

function onlyNameChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isNameChar(s.charCodeAt(i))) return false;
  return true;
}

/** A name the kernel gives an interface (`eth0`, `eth0.100`, `veth-a_b`). */
export function isInterfaceName(s: string): boolean {
  return s.length >= 1 && s.length <= MAX_INTERFACE_NAME && s !== '.' && s !== '..' && !startsLikeSyntax(s) && onlyNameChars(s);
}

/**
 * A prefix of interface names (`detectLocal.interfaceNamePrefix`): written as `PREFIX+` for
 * iptables, which must fit in IFNAMSIZ - 1 bytes too, so at most 14.
 */
export function isInterfaceNamePrefix(s: string): boolean {
  return s.length >= 1 && s.length < MAX_INTERFACE_NAME && !startsLikeSyntax(s) && onlyNameChars(s);
}

/**
 * What iptables reads after `-i` / `-o`: a name, or a prefix followed by the `+` wildcard
 * (`cali+`; `+` alone matches every interface).
 */
export function isIptablesInterface(s: string): boolean {
  if (s.endsWith('+')) return s.length <= MAX_INTERFACE_NAME && !startsLikeSyntax(s) && onlyNameChars(s.slice(0, -1));
  return isInterfaceName(s);
}

/** What a valid interface name looks like, for messages. */
export const INTERFACE_NAME_RULE = "1 to 15 printable ASCII characters, not '.' or '..', not starting with '-' or '!', without '/', ':', '*', '+', quotes, backslashes or white space";
