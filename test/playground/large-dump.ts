/** `base` with `n` more ClusterIP services of one endpoint each, in its nat table. */
export function largeDump(base: string, n: number): string {
  const chains: string[] = [];
  const rules: string[] = [];
  for (let i = 0; i < n; i++) {
    const svc = `KUBE-SVC-${String(i).padStart(16, 'A').replace(/\d/g, (d) => 'QRSTUVWXYZ'[Number(d)] ?? 'Q')}`;
    const sep = `KUBE-SEP-${String(i).padStart(16, 'B').replace(/\d/g, (d) => 'QRSTUVWXYZ'[Number(d)] ?? 'Q')}`;
    const ip = `10.100.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    const ep = `10.245.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    chains.push(`:${svc} - [0:0]`, `:${sep} - [0:0]`);
    rules.push(
      `-A KUBE-SERVICES -d ${ip}/32 -p tcp -m comment --comment "load/svc-${i}:http cluster IP" -m tcp --dport 80 -j ${svc}`,
      `-A ${svc} -m comment --comment "load/svc-${i}:http -> ${ep}:8080" -j ${sep}`,
      `-A ${sep} -s ${ep}/32 -m comment --comment "load/svc-${i}:http" -j KUBE-MARK-MASQ`,
      `-A ${sep} -p tcp -m comment --comment "load/svc-${i}:http" -m tcp -j DNAT --to-destination ${ep}:8080`,
    );
  }
  const nat = base.indexOf('*nat\n');
  const firstChain = base.indexOf('\n:', nat) + 1;
  const withChains = `${base.slice(0, firstChain)}${chains.join('\n')}\n${base.slice(firstChain)}`;
  const servicesRule = withChains.indexOf('\n-A KUBE-SERVICES ', withChains.indexOf('*nat\n')) + 1;
  return `${withChains.slice(0, servicesRule)}${rules.join('\n')}\n${withChains.slice(servicesRule)}`;
}
