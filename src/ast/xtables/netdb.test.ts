import { describe, expect, it } from 'vitest';
import { protocolNameOf, protocolNumberOf, servicePort } from './netdb.js';

describe('netdb', () => {
  it("resolves service names as Debian's /etc/services lists them, per protocol", () => {
    expect([servicePort('https', 'tcp'), servicePort('domain', 'udp'), servicePort('http-alt', 'tcp'), servicePort('webcache', 'tcp')]).toEqual([443, 53, 8080, 8080]);
    expect(servicePort('mdns', 'tcp')).toBeUndefined();
    expect(servicePort('no-such-service', 'tcp')).toBeUndefined();
  });

  it("also knows the names Fedora's and RHEL's file gives ports of a Kubernetes node", () => {
    expect(['sun-sr-https', 'pcsync-https', 'commplex-main', 'us-cli', 'etcd-client', 'etcd-server'].map((n) => servicePort(n, 'tcp'))).toEqual([
      6443, 8443, 5000, 8082, 2379, 2380,
    ]);
    expect(servicePort('etcd-client', 'udp')).toBeUndefined();
  });

  it('names protocols both ways', () => {
    expect([protocolNameOf(6), protocolNameOf(58), protocolNumberOf('udp'), protocolNumberOf('IPv6-ICMP')]).toEqual(['tcp', 'ipv6-icmp', 17, 58]);
  });
});
