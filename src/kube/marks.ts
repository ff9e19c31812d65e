/**
 * The packet marks of kube-proxy's rules. Today it sets one bit (`masqueradeBit`, 14 by default:
 * `0x4000`) to say "masquerade this connection"; kube-proxy 1.1 set the whole 32-bit mark to
 * `0x4d415351`, "MASQ" in ASCII; since 1.2 it is one bit, which leaves the rest of the mark to
 * other programs. Kubelet and kube-proxy before 1.25 also marked packets to drop with bit
 * 15 (`0x8000`, KUBE-MARK-DROP), which a filter rule in KUBE-FIREWALL then dropped: a nat rule
 * cannot drop a packet itself.
 */
export const KUBE_MARKS = {
  /** The default masquerade mark (masqueradeBit 14). */
  masquerade: '0x4000',
  /** The masquerade mark of kube-proxy 1.1, set over the whole mark (`/0xffffffff`). */
  masqueradeAscii: '0x4d415351',
  /** The drop mark of KUBE-MARK-DROP (kubelet's iptablesDropBit 15). */
  drop: '0x8000',
} as const;

/** The value of a mark as written (`0x4000`, `0x4000/0x4000`, `0x00004000`), without its mask, as a number. */
function markValue(text: string): number | undefined {
  const value = text.split('/')[0] ?? '';
  if (!/^0x[0-9a-f]{1,8}$/i.test(value)) return undefined;
  return Number.parseInt(value.slice(2), 16);
}

/** Whether a mark (with or without its mask) is kube-proxy 1.1's whole-word "MASQ" mark. */
export function isAsciiMasqueradeMark(text: string | null | undefined): boolean {
  return text != null && markValue(text) === markValue(KUBE_MARKS.masqueradeAscii);
}
