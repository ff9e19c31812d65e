import { describe, expect, it } from 'vitest';
import { isAsciiMasqueradeMark, KUBE_MARKS } from './marks.js';

describe('kube-proxy marks', () => {
  it('knows the 1.1 mark "MASQ" in any spelling', () => {
    expect(Buffer.from(KUBE_MARKS.masqueradeAscii.slice(2), 'hex').toString('latin1')).toBe('MASQ');
    for (const t of ['0x4d415351', '0x4D415351/0xffffffff', '0x4d415351/0xFFFFFFFF']) expect(isAsciiMasqueradeMark(t)).toBe(true);
    for (const t of ['0x4000', '0x4000/0x4000', 'MASQ', '', null, undefined]) expect(isAsciiMasqueradeMark(t)).toBe(false);
  });
});
