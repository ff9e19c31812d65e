// rulec lint on the kube-proxy dump of parse.mjs (about 430,000 lines): the time to parse it
// against the time all the lint rules add on top, in one process (wall and CPU time, best of
// five, taken in turn), the costliest rules, and the whole `rulec lint` command as a user runs it.
// Target: all rules together add at most half of the parse time.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateKubeProxyDump } from './parse.mjs';
import { fmtMs, RUNS, runNode } from './lib/measure.mjs';

/** Parse and lint are cheap enough to run more often than the other benchmarks' commands. */
const LINT_RUNS = Math.max(RUNS, 5);

/** Best of `n` runs of `fn`, in wall and in CPU (user + system) milliseconds. */
function best(n, fn) {
  let wall = Infinity;
  let cpu = Infinity;
  let value;
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    value = fn();
    wall = Math.min(wall, Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1000);
  }
  return { wall, cpu, value };
}

export default async function lintBench({ work, root }) {
  const dist = (p) => pathToFileURL(join(root, 'dist', p)).href;
  const { parseDump } = await import(dist('grammar/detect.js'));
  const { lint } = await import(dist('lint/runner.js'));
  const { ALL_RULES } = await import(dist('lint/rules/index.js'));
  const { RuleSetIndex } = await import(dist('lint/kube/rule-set-index.js'));

  const text = generateKubeProxyDump({ services: 28600, endpoints: 3 });
  const lines = text.split('\n').length - 1;
  const file = join(work, 'kube-proxy.iptables-save');
  writeFileSync(file, text);

  // Parse and lint in turn, LINT_RUNS times each, so that both see the same moments of the
  // machine; the best of each is compared.
  let parsed;
  let linted;
  for (let i = 0; i < LINT_RUNS; i++) {
    const p = best(1, () => parseDump(text, file));
    const input = p.value.ruleSets.map((ruleSet) => ({ file, ruleSet, text }));
    const l = best(1, () => lint(input));
    parsed = parsed ? { ...p, wall: Math.min(p.wall, parsed.wall), cpu: Math.min(p.cpu, parsed.cpu) } : p;
    linted = linted ? { ...l, wall: Math.min(l.wall, linted.wall), cpu: Math.min(l.cpu, linted.cpu) } : l;
  }
  const pct = (a, b) => `${((a / b) * 100).toFixed(0)}%`;
  console.log(`dump: ${lines.toLocaleString('en')} lines, ${ALL_RULES.length} rules, ${linted.value.findings.length} finding(s)`);
  console.log(`parse: ${fmtMs(parsed.wall)} wall, ${fmtMs(parsed.cpu)} CPU`);
  console.log(`lint:  ${fmtMs(linted.wall)} wall, ${fmtMs(linted.cpu)} CPU = ${pct(linted.wall, parsed.wall)} / ${pct(linted.cpu, parsed.cpu)} of the parse time (target: at most 50%)`);

  // Where the time goes: the indexes every rule shares (chains, who jumps where, what kube-proxy's
  // per-service chains serve), then each rule on top of them.
  const iptables = parsed.value.ruleSets.filter((r) => r.kind === 'iptables');
  const shared = best(3, () => {
    const indexes = iptables.map((rs) => new RuleSetIndex(rs));
    for (const ix of indexes) {
      for (const t of ix.allTables()) t.facts();
      ix.kubeChains();
    }
    return indexes;
  });
  const [index] = shared.value;
  const per = [];
  if (index) {
    const context = { ruleSet: iptables[0], file, index, manifests: null, proxy: null, settings: { nodePortRange: { min: 30000, max: 32767 } }, report() {} };
    for (const rule of ALL_RULES) {
      if (rule.meta.target !== 'iptables') continue;
      per.push([rule.meta.id, best(3, () => rule.check(context)).cpu]);
    }
  }
  per.sort((a, b) => b[1] - a[1]);
  console.log(`of which the shared indexes: ${fmtMs(shared.cpu)} CPU; the costliest rules on top of them: ${per.slice(0, 5).map(([id, ms]) => `${id} ${fmtMs(ms)}`).join(', ')}`);

  const cli = runNode(join(root, 'bin', 'rulec.js'), ['lint', '--no-config', '--format', 'json', file]);
  if (cli.status !== 0 && cli.status !== 1) throw new Error(`rulec lint failed: ${cli.stderr.slice(0, 500)}`);
  console.log(`rulec lint (the whole command: read, parse, lint, report): ${fmtMs(cli.ms)}, peak ${cli.peakMiB.toFixed(0)} MiB`);
}
