// The rulec commands as users run them on a dump: `node bin/rulec.js …` in a child process, the
// output written to a file, each timed in turn with the real tool on the same text (bestOfPair):
// `iptables-restore --test` for the 47 MB kube-proxy iptables-save dump of parse.mjs, `nft -c -f`
// for the nftables listing of the 10,000-service cluster of nft-parse.mjs. Each row prints the
// ratio (tool time / rulec time), its target, the peak memory, and how time and memory grow from
// a quarter of the input to the whole (4.00 = linear in the input). RULEC_BENCH_CLI=TEXT times only
// the rows whose command contains TEXT; RULEC_BENCH_NFT=0 leaves the nftables side out (nft -c -f
// alone takes minutes on its listing).
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKubeProxyDump } from './parse.mjs';
import { generateCluster, writeJsonList } from './lib/generate-cluster.mjs';
import { bestOfPair, fmtMs, RUNS, runCommandOnce, runNode, runNodeOnce } from './lib/measure.mjs';
import { hash16 } from '../../dist/kube/chain-names.js';

/** Peak memory allowed for any command on the 47 MB dump. */
const PEAK_MIB = 600;

const RESTORE = 'nfacct add ct_state_invalid_dropped_pkts >/dev/null 2>&1; for f in "$@"; do iptables-restore --test < "$f" || exit 1; done';

/** `name` with one endpoint's DNAT port changed: the B side of a diff. */
function changeOneEndpoint(text, pattern) {
  const m = pattern.exec(text);
  if (m === null) throw new Error('no endpoint to change');
  const at = m.index + m[0].length;
  return `${text.slice(0, at - m[1].length)}${Number(m[1]) + 1}${text.slice(at)}`;
}

function iptablesSide(work) {
  const sizes = {};
  for (const [label, services] of [
    ['quarter', 7150],
    ['full', 28600],
  ]) {
    const text = generateKubeProxyDump({ services, endpoints: 3 });
    const a = join(work, `cli-${label}.iptables-save`);
    const b = join(work, `cli-${label}-b.iptables-save`);
    writeFileSync(a, text);
    writeFileSync(b, changeOneEndpoint(text, /-j DNAT --to-destination 10\.244\.1\.7:(\d+)/));
    sizes[label] = { a, b };
  }
  // Service 1234: its cluster IP and its KUBE-SVC chain (the names generateKubeProxyDump writes).
  const s = 1234;
  const cip = `10.${96 + (s >> 16)}.${(s >> 8) & 255}.${s & 255}`;
  const svc = `KUBE-SVC-${hash16(`ns${s % 97}/svc-${s}:httptcp`)}`;
  return {
    name: 'iptables-save, 28,600 services (47 MB)',
    sizes,
    tool: 'iptables-restore --test',
    toolRun: (files) => runCommandOnce('unshare', ['-n', 'sh', '-c', RESTORE, 'sh', ...files]),
    rows: rows({ cip, svc, target: true }),
  };
}

function nftSide(work, bin) {
  const sizes = {};
  let cip;
  let svc;
  for (const [label, services] of [
    ['quarter', 2500],
    ['full', 10000],
  ]) {
    const cluster = join(work, `cli-nft-${label}.json`);
    writeJsonList(cluster, generateCluster({ services, endpoints: 10 }));
    const a = join(work, `cli-${label}.nft`);
    const compiled = runNodeOnce(bin, ['compile', '--mode', 'nftables', '--as-listed', cluster, '-o', a]);
    if (compiled.status !== 0) throw new Error(`compile failed: ${compiled.stderr}`);
    rmSync(cluster);
    const text = readFileSync(a, 'utf8');
    const b = join(work, `cli-${label}-b.nft`);
    writeFileSync(b, changeOneEndpoint(text, /dnat to \d+\.\d+\.\d+\.\d+:(\d+)/));
    sizes[label] = { a, b };
    if (label === 'full') {
      const m = /(\d+\.\d+\.\d+\.\d+) \. tcp \. 80 : goto (service-[A-Za-z0-9/_.:-]+)/.exec(text);
      if (m === null) throw new Error('no service in the nftables listing');
      [, cip, svc] = m;
    }
  }
  return {
    name: `nft list ruleset, 10,000 services (${(statSync(sizes.full.a).size / 1e6).toFixed(0)} MB)`,
    sizes,
    tool: 'nft -c -f',
    toolRun: (files) => runCommandOnce('unshare', ['-n', 'sh', '-c', 'for f in "$@"; do nft -c -f "$f" || exit 1; done', 'sh', ...files]),
    rows: rows({ cip, svc, target: false }),
    // nft -c -f takes minutes on this listing: it is timed once, in turn with the first row.
    toolOnce: true,
  };
}

/** The commands timed; `files` is [A, B] of one size, `out` the file the output goes to. */
function rows({ cip, svc, target }) {
  const t = (x) => (target ? x : undefined);
  return [
    { label: 'parse --summary', args: ([a]) => ['parse', '--summary', a], target: t(4) },
    { label: 'parse --summary --json', args: ([a]) => ['parse', '--summary', '--json', a], target: t(4) },
    { label: 'parse --json', args: ([a]) => ['parse', '--json', a] },
    { label: 'lint', args: ([a], out) => ['lint', '--no-config', a, '-o', out], target: t(4) },
    { label: 'lint --format sarif', args: ([a], out) => ['lint', '--no-config', '--format', 'sarif', a, '-o', out], target: t(4) },
    { label: 'fmt', args: ([a]) => ['fmt', a] },
    { label: `trace --dst ${cip}:80`, args: ([a]) => ['trace', a, '--dst', `${cip}:80`, '--proto', 'tcp'], target: t(4) },
    { label: 'explain --chain (one)', args: ([a]) => ['explain', a, '--chain', svc], target: t(4) },
    { label: 'diff A B (2 tool runs)', args: ([a, b]) => ['diff', a, b], target: t(4), both: true },
  ];
}

function rulecRun(bin, args, out) {
  const usesO = args.includes('-o');
  return runNodeOnce(bin, args, usesO ? {} : { stdoutFile: out });
}

export default async function cliBench({ work, root }) {
  const bin = join(root, 'bin', 'rulec.js');
  const out = join(work, 'cli-out');
  const only = process.env.RULEC_BENCH_CLI;
  const sides = [iptablesSide(work)];
  if (process.getuid?.() !== 0) {
    console.log('iptables-restore and nft need root (they run inside unshare -n): only rulec is timed');
  }
  if (process.env.RULEC_BENCH_NFT === '0') console.log('nftables side skipped (RULEC_BENCH_NFT=0)');
  else {
    try {
      sides.push(nftSide(work, bin));
    } catch (err) {
      console.log(`nftables side skipped: ${err.message}`);
    }
  }
  for (const side of sides) {
    console.log(`\n${side.name}; ${side.tool} alternating with rulec, best of ${RUNS}${side.toolOnce ? ` (${side.tool} timed once, with the first row; diff counts it twice)` : ''}`);
    const widths = [28, 9, 9, 7, 8, 8, 9, 11, 10];
    const print = (cells) => console.log(cells.map((c, i) => String(c ?? '').padEnd(widths[i] ?? 0)).join('  ').trimEnd());
    print(['command', 'rulec', side.tool.split(' ')[0], 'ratio', 'target', '', 'peak MiB', '1/4→1 time', '1/4→1 mem']);
    let once;
    for (const row of side.rows) {
      if (only && !row.label.includes(only)) continue;
      const full = [side.sizes.full.a, side.sizes.full.b];
      const quarter = [side.sizes.quarter.a, side.sizes.quarter.b];
      const toolFiles = row.both && !side.toolOnce ? full : [full[0]];
      let r;
      let tool;
      if (process.getuid?.() === 0 && !(side.toolOnce && once)) {
        [r, tool] = bestOfPair(() => rulecRun(bin, row.args(full, out), out), () => side.toolRun(toolFiles));
        if (side.toolOnce) once = tool;
      } else {
        r = runNode(bin, row.args(full, out), row.args(full, out).includes('-o') ? {} : { stdoutFile: out });
        tool = once;
      }
      if (tool !== undefined && side.toolOnce && row.both) tool = { ...tool, ms: tool.ms * 2 };
      if (r.status !== 0 && r.status !== 1) {
        print([row.label, `FAILED (${r.status}): ${r.stderr.slice(0, 200)}`]);
        continue;
      }
      const q = runNode(bin, row.args(quarter, out), row.args(quarter, out).includes('-o') ? {} : { stdoutFile: out });
      const toolOk = tool !== undefined && tool.status === 0;
      const ratio = toolOk ? tool.ms / r.ms : undefined;
      const peakOk = !side.name.startsWith('iptables') || r.peakMiB <= PEAK_MIB;
      const met = (row.target === undefined || ratio === undefined || ratio >= row.target) && peakOk;
      print([
        row.label,
        fmtMs(r.ms),
        toolOk ? fmtMs(tool.ms) : tool ? `FAILED ${tool.stderr.slice(0, 60)}` : '-',
        ratio === undefined ? '-' : `${ratio.toFixed(1)}x`,
        row.target === undefined ? 'report' : `>= ${row.target}x`,
        row.target === undefined && peakOk ? '' : met ? 'met' : 'NOT met',
        r.peakMiB.toFixed(0),
        (r.ms / q.ms).toFixed(2),
        (r.peakMiB / q.peakMiB).toFixed(2),
      ]);
    }
  }
  rmSync(out, { force: true });
  console.log(`\nratio: the tool's time / rulec's; met also needs peak <= ${PEAK_MIB} MiB on the iptables dump; 1/4→1: full size over a quarter (4.00 = linear)`);
}
