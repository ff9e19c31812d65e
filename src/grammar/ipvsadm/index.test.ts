import { describe, expect, it } from 'vitest';
import { ipvsadmListFormat, ipvsadmSaveFormat } from './index.js';

describe('ipvsadm formats: section starts', () => {
  it('ipvsadm-save starts at -A/-a/-E lines with a service, or a lone -C', () => {
    const yes = ['-A -t 10.96.0.1:443 -s rr', '-a -u 10.96.0.10:53 -r 10.244.0.3:53 -m -w 1', '-A --sctp-service 10.0.0.1:80 -s rr', '-A -f 5 -s rr', '--add-service --tcp-service 1.2.3.4:80', '-C'];
    const no = ['-A KUBE-SERVICES -j RETURN', '-A INPUT -t nat', '*nat', 'IP Virtual Server version 1.2.1 (size=4096)', 'create KUBE-CLUSTER-IP hash:ip,port', '-N KUBE-SVC-X'];
    expect(yes.map((l) => ipvsadmSaveFormat.startsSection(l))).toEqual(yes.map(() => true));
    expect(no.map((l) => ipvsadmSaveFormat.startsSection(l))).toEqual(no.map(() => false));
  });

  it('ipvsadm-save also starts at the same rules typed as ipvsadm commands, not at other ipvsadm commands', () => {
    const yes = [
      'ipvsadm -A -t 10.96.0.1:443 -s rr',
      'ipvsadm -a -t 10.96.0.1:443 -r 192.168.0.10:6443 -m -w 1',
      'sudo ipvsadm -a -u 10.96.0.10:53 -r 10.244.0.2:53 -m',
      '/sbin/ipvsadm -A -t 10.96.0.1:443 -s rr',
      'sudo /usr/sbin/ipvsadm -E -s wrr -t 10.96.0.1:443',
      'ipvsadm --add-server --tcp-service 10.96.0.1:443 --real-server 192.168.0.10:6443',
    ];
    const no = ['ipvsadm -Ln', 'ipvsadm -C', 'sudo ipvsadm -L -n --stats', 'ipvsadm -D -t 10.96.0.1:443', 'ipvsadm -S -n', 'ipvsadm', 'myipvsadm -A -t 10.96.0.1:443', 'ipvsadm -A -t'];
    expect(yes.map((l) => ipvsadmSaveFormat.startsSection(l))).toEqual(yes.map(() => true));
    expect(no.map((l) => ipvsadmSaveFormat.startsSection(l))).toEqual(no.map(() => false));
  });

  it('ipvsadm-list starts at the version line or the column titles', () => {
    expect(ipvsadmListFormat.startsSection('IP Virtual Server version 1.2.1 (size=4096)')).toBe(true);
    expect(ipvsadmListFormat.startsSection('Prot LocalAddress:Port Scheduler Flags')).toBe(true);
    expect(ipvsadmListFormat.startsSection('Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes')).toBe(true);
    expect(ipvsadmListFormat.startsSection('Chain INPUT (policy ACCEPT)')).toBe(false);
  });

  it('ipvsadm-list also starts at a service line, for a listing pasted without its title lines', () => {
    const yes = [
      'TCP  10.96.0.1:443 rr',
      'UDP  10.96.0.10:53 rr persistent 10800',
      'SCTP 10.96.87.3:3868 sh (sh-fallback,sh-port) persistent 60 mask 255.255.255.0',
      'UDP  10.96.0.10:53 rr ops',
      'FWM  5 IPv6 mh',
      'TCP  [fd00:10:96::1]:443 wlc',
      'TCP  10.96.0.1:https rr',
      'TCP  node-b.prod.example.internal rr',
      'TCP  10.96.0.1:443                       2       12        8      816      539',
      'TCP  10.0.1.15:30080                 88313   530250   706397  186493K    2964M',
    ];
    const no = [
      // ipvsadm -Lnc: protocol, expiry, state, addresses.
      'TCP 14:56  ESTABLISHED 10.0.0.1:5000      10.96.0.1:443      192.168.0.10:6443',
      'UDP 04:42  UDP         10.0.0.1:50000     10.96.0.10:53      10.244.0.2:53',
      // iptables -L with chains named TCP and UDP (a common firewall layout).
      'TCP        tcp  --  anywhere             anywhere             tcp flags:FIN,SYN,RST,ACK/SYN ctstate NEW',
      'UDP        udp  --  0.0.0.0/0            0.0.0.0/0            ctstate NEW',
      'tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN',
      'TCP  10.96.0.1:443 roundrobin',
      'TCP  10.96.0.1:443 rr extra',
      'TCP  10.96.0.1:443 2 12 8 816',
      '  -> 192.168.0.10:6443            Masq    1      3          0',
    ];
    expect(yes.map((l) => ipvsadmListFormat.startsSection(l))).toEqual(yes.map(() => true));
    expect(no.map((l) => ipvsadmListFormat.startsSection(l))).toEqual(no.map(() => false));
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
