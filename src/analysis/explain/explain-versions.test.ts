import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDumpText } from '../input/parse-dumps.js';
import { explainRuleSets } from './explain.js';
import { LANGS, type Lang } from './language.js';

// explain names the kube-proxy releases whose layout a line has, when the newest writes it otherwise.
const VERSIONS = resolve(import.meta.dirname, '../../../test/fixtures/versions');
const CONFORMANCE = resolve(import.meta.dirname, '../../../test/conformance/iptables');

function sentenceAt(file: string, line: number, lang: Lang): string | undefined {
  const { ruleSets } = parseDumpText(readFileSync(file, 'utf8'), 'node.save');
  return explainRuleSets(ruleSets, { lang, line })[0]?.sentence;
}

describe('explain names the releases of an older layout', () => {
  it('a cluster-IP masquerade rule in KUBE-SERVICES with /32, as kube-proxy 1.20 wrote it', () => {
    const file = join(VERSIONS, 'v1.20', 'common', 'expected.iptables');
    expect(sentenceAt(file, 36, 'en')).toBe(
      "Packets to 172.30.0.41:80/tcp (cluster IP of ns1/svc1, port p80) that do not come from the pod network (source 10.0.0.0/8), such as the node's own or those of a host that routes the service range to this node, are marked for masquerading: the endpoint may be on another node, and masquerading makes its reply come back through this node, which undoes the NAT so that the client gets the answer from the address it sent to. kube-proxy 1.3–1.21 wrote this masquerade rule in KUBE-SERVICES; 1.22 and later write it in the KUBE-SVC- chain. kube-proxy 1.2–1.22 wrote addresses with /32; 1.23 and later write them bare.",
    );
    expect(sentenceAt(file, 36, 'zh')).toBe(
      '发往 172.30.0.41:80/tcp（ns1/svc1 的端口 p80 的集群 IP）、且不来自 Pod 网络（源地址 10.0.0.0/8）的包（例如本节点自己的包，或把服务网段路由到本节点的主机发来的包）被打上地址伪装标记：端点可能在其他节点上，做地址伪装后它的回包会经由本节点返回，由本节点撤销 NAT，客户端才能从它所访问的地址收到应答。kube-proxy 1.3–1.21 把这条地址伪装规则写在 KUBE-SERVICES 里；1.22 及之后写在 KUBE-SVC- 链里。kube-proxy 1.2–1.22 写地址时带 /32；1.23 及之后不带。',
    );
  });

  it('a KUBE-XLB- chain', () => {
    const file = join(VERSIONS, 'v1.20', 'common', 'expected.iptables');
    expect(sentenceAt(file, 31, 'en')).toBe(
      'External chain of ns3/svc3:p80 under externalTrafficPolicy: Local (kube-proxy before 1.24): clients outside the cluster reach only endpoints on this node, so their source address is kept. kube-proxy 1.5–1.23 wrote this KUBE-XLB- chain for externalTrafficPolicy: Local; 1.24 and later write KUBE-EXT- and KUBE-SVL- chains instead.',
    );
    expect(sentenceAt(file, 31, 'zh')).toBe(
      'ns3/svc3:p80 在 externalTrafficPolicy: Local 下的外部链（kube-proxy 1.24 之前）：集群外的客户端只访问本节点上的端点，因此保留其源地址。kube-proxy 1.5–1.23 为 externalTrafficPolicy: Local 写这条 KUBE-XLB- 链；1.24 及之后改写 KUBE-EXT- 和 KUBE-SVL- 链。',
    );
  });

  it('a KUBE-SEP- rule without a comment (kube-proxy 1.12–1.17)', () => {
    const file = join(VERSIONS, 'dumps', 'k8s-61005-no-endpoint-comments-1.12-1.17.iptables-save');
    expect(sentenceAt(file, 28, 'en')).toBe(
      'Packets from the endpoint 192.168.78.125 itself (a pod reaching its own service, "hairpin") are marked for masquerading, so the reply comes back through this node. kube-proxy 1.12–1.17 wrote endpoint rules without a comment.',
    );
    expect(sentenceAt(file, 28, 'zh')).toBe('来自端点 192.168.78.125 自身的包（Pod 通过服务访问自己，即“回环”/hairpin）被打上地址伪装标记，使回包经由本节点返回。kube-proxy 1.12–1.17 写的端点规则不带注释。');
  });

  it('nothing of the kind on the newest layout', () => {
    const cases = readdirSync(CONFORMANCE).filter((d) => !d.startsWith('v126-') && existsSync(join(CONFORMANCE, d, 'expected.iptables')));
    expect(cases.length).toBeGreaterThan(10);
    for (const c of cases) {
      const { ruleSets } = parseDumpText(readFileSync(join(CONFORMANCE, c, 'expected.iptables'), 'utf8'), 'expected.iptables');
      for (const lang of LANGS) {
        for (const item of explainRuleSets(ruleSets, { lang })) expect(item.sentence, `${c}: ${item.text}`).not.toMatch(/kube-proxy 1\.\d+(–1\.\d+)?(, 1\.\d+–1\.\d+)? (wrote|sent|set|commented|used|写|为|把|的|用|使用|在)/);
      }
    }
  });
});
