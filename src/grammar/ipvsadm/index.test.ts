import { describe, expect, it } from 'vitest';
import { ipvsadmListFormat, ipvsadmSaveFormat } from './index.js';

describe('ipvsadm formats: section starts', () => {
  it('ipvsadm-save starts at -A/-a/-E lines with a service, or a lone -C', () => {
    const yes = ['-A -t 10.96.0.1:443 -s rr', '-a -u 10.96.0.10:53 -r 10.244.0.3:53 -m -w 1', '-A --sctp-service 10.0.0.1:80 -s rr', '-A -f 5 -s rr', '--add-service --tcp-service 1.2.3.4:80', '-C'];
    const no = ['-A KUBE-SERVICES -j RETURN', '-A INPUT -t nat', '*nat', 'IP Virtual Server version 1.2.1 (size=4096)', 'create KUBE-CLUSTER-IP hash:ip,port', '-N KUBE-SVC-X'];
    expect(yes.map((l) => ipvsadmSaveFormat.startsSection(l))).toEqual(yes.map(() => true));
    expect(no.map((l) => ipvsadmSaveFormat.startsSection(l))).toEqual(no.map(() => false));
  });

  it('ipvsadm-list starts at the version line or the column titles', () => {
    expect(ipvsadmListFormat.startsSection('IP Virtual Server version 1.2.1 (size=4096)')).toBe(true);
    expect(ipvsadmListFormat.startsSection('Prot LocalAddress:Port Scheduler Flags')).toBe(true);
    expect(ipvsadmListFormat.startsSection('Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes')).toBe(true);
    expect(ipvsadmListFormat.startsSection('TCP  10.96.0.1:443 rr')).toBe(false);
    expect(ipvsadmListFormat.startsSection('Chain INPUT (policy ACCEPT)')).toBe(false);
  });

  it('ids and parse functions', () => {
    expect([ipvsadmSaveFormat.id, ipvsadmListFormat.id]).toEqual(['ipvsadm-save', 'ipvsadm-list']);
    const r = ipvsadmSaveFormat.parse('-A -t 10.96.0.1:443 -s rr\n', 'f', 7);
    expect(r.ruleSets[0]?.kind).toBe('ipvs');
    expect(r.ruleSets[0]?.pos).toEqual({ file: 'f', line: 7, column: 1 });
    const l = ipvsadmListFormat.parse('Prot LocalAddress:Port Scheduler Flags\nTCP  10.96.0.1:443 rr\n', 'f', 3);
    expect(l.ruleSets[0]?.kind).toBe('ipvs');
    expect(l.ruleSets[0]?.pos).toEqual({ file: 'f', line: 3, column: 1 });
  });
});
