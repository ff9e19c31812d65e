import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { it } from 'vitest';
import { parseDumpText } from '../analysis/input/parse-dumps.js';
import { inferKubeProxyVersion, chooseKubeProxyVersion } from './infer-kube-proxy-version.js';
import { formatMinors } from '../kube/kube-proxy-version-facts.js';

const V = resolve(import.meta.dirname, '../../test/fixtures/versions');
const C = resolve(import.meta.dirname, '../../test/conformance/iptables');
it('probe', () => {
  const out: string[] = [];
  const one = (f: string) => {
    const r = parseDumpText(readFileSync(f, 'utf8'), f.replace(V + '/', '').replace(C + '/', 'conf/'));
    const inf = inferKubeProxyVersion(r.ruleSets);
    out.push(`${f.replace(V + '/', '').replace(C+'/', 'conf/')}: ${formatMinors(inf.minors)} ${inf.conflict ? 'CONFLICT ' + inf.conflict.map((e) => e.fact + '@' + e.line).join(' ') : ''} [${inf.evidence.map((e) => e.fact).join(',')}]`);
  };
  for (const f of readdirSync(join(V, 'dumps'))) if (f.endsWith('.iptables-save')) one(join(V, 'dumps', f));
  for (const d of readdirSync(V)) if (d.startsWith('v')) for (const x of readdirSync(join(V, d))) one(join(V, d, x, 'expected.iptables'));
  for (const d of readdirSync(C)) if (existsSync(join(C, d, 'expected.iptables'))) one(join(C, d, 'expected.iptables'));
  console.log(out.join('\n'));
});
