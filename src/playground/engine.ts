import { canonicalizeIptables } from '../ast/canonical-order.js';
import { canonicalText } from '../ast/canonical-text.js';
import { printIptablesSave } from '../ast/print-as-saved.js';
import { printIptablesRestore, printIptablesRules } from '../ast/print-iptables.js';
import { printNft } from '../ast/print-nft.js';
import type { IptablesRuleSet, RuleSet } from '../ast/types.js';
import { diffSides, formatDiffText } from '../analysis/diff/diff.js';
import { loadSides } from '../analysis/diff/load-pair.js';
import { explainRuleSets, type ExplainedItem } from '../analysis/explain/explain.js';
import type { Lang } from '../analysis/explain/language.js';
import { explainNftRuleSets } from '../analysis/explain/nft.js';
import { buildGraph, type ChainGraph } from '../analysis/graph/graph.js';
import { buildNftGraph } from '../analysis/graph/nft-graph.js';
import { loadRules, type LoadedRules } from '../analysis/input/load-rules.js';
import { parseDumpText } from '../analysis/input/parse-dumps.js';
import { relevantRuleSets } from '../analysis/input/relevant.js';
import { summarizeDump } from '../analysis/summary.js';
import { formatTraceText } from '../analysis/trace/format-text.js';
import type { TraceOrigin, TraceProtocol } from '../analysis/trace/packet.js';
import { traceQuery } from '../analysis/trace/query.js';
import type { TraceResult } from '../analysis/trace/result.js';
import { Tracer } from '../analysis/trace/tracer.js';
import { addHooks, compileIptables, loadCluster } from '../compiler/index.js';
import { compileIpvs } from '../compiler/ipvs/index.js';
import { ipvsEmitText } from '../compiler/ipvs/emit.js';
import { compileNftables } from '../compiler/nftables/index.js';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import { defaultConfig } from '../lint/config/types.js';
import { lint } from '../lint/runner.js';
import { docsUrl } from '../lint/types.js';
import { detectInputKind } from '../model/input-kind.js';
import { resolveSettings } from '../model/settings.js';

/**
 * What the page shows of one input, made by rulec's own library: the same loading, compiling,
 * linting and summarising as the command line, on text instead of files. Everything here is
 * plain data, so that it crosses from a worker to the page unchanged.
 */

/** The name inputs go by in diagnostics and findings. */
export const INPUT_NAME = 'input';

export interface PlainDiagnostic {
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}

export interface PlainFinding {
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'note';
  ruleId: string;
  message: string;
  docs: string;
}

export interface ServiceRow {
  /** `ns/name:port`, or the chain when the rules name no service. */
  name: string;
  family: string;
  chain: string;
  endpoints: number;
}

/** One text of the Rules view: a mode's compiled output, or the dump as pasted or canonical. */
export interface RuleOutput {
  id: string;
  label: string;
  text: string;
}

/** What the summary shows: ready before the findings, the rules and the graph of a large input. */
export interface AnalysisSummary {
  kind: 'manifests' | 'dump';
  /** The dump formats read (`iptables-save+ipvsadm-list`), or `manifests`. */
  format: string;
  /** The proxy mode: the configuration's for manifests, what the dump holds otherwise. */
  mode: string;
  lines: number;
  rules: number;
  services: ServiceRow[];
  ipvsServices: number;
  ipsets: number;
  diagnostics: PlainDiagnostic[];
}

export interface Analysis extends AnalysisSummary {
  findings: PlainFinding[];
  outputs: RuleOutput[];
  /** Milliseconds the analysis took. */
  millis: number;
}

/** One explained line of a rule output. */
export interface ExplainRow {
  line: number;
  text: string;
  chain: string;
  sentence: string;
}

export interface TraceRequest {
  destination: string;
  protocol: TraceProtocol;
  source?: string;
  from?: TraceOrigin;
}

export type TraceReply = { ok: true; result: TraceResult; text: string } | { ok: false; error: string };

export interface DiffReply {
  ok: boolean;
  equal: boolean;
  summary: string[];
  text: string;
  diagnostics: PlainDiagnostic[];
}

/** A stage of `analyse`, for the progress shown while a large input is read. */
export type Stage = 'parsing' | 'summarising' | 'linting' | 'printing';

/** One analysed input, kept for the questions the page asks of it afterwards. */
export class Session {
  private loaded: LoadedRules | null = null;
  private tracer: Tracer | null = null;
  private outputs: RuleOutput[] = [];
  private explained = new Map<string, ExplainRow[]>();

  /** Reads `text`; `early` gets the summary as soon as it is known, before the findings and the rest. */
  analyse(text: string, progress: (stage: Stage) => void = () => {}, early: (summary: AnalysisSummary) => void = () => {}): Analysis {
    const started = Date.now();
    this.explained.clear();
    this.tracer = null;
    const kind = detectInputKind(text) === 'manifests' ? 'manifests' : 'dump';
    progress('parsing');
    const loaded = loadRules(['-'], { readStdin: () => text });
    this.loaded = loaded;
    const diagnostics = loaded.diagnostics.map(plainDiagnostic);
    progress('summarising');
    const shown = [...relevantRuleSets(loaded), ...loaded.nft];
    const summary = summarizeDump({ ruleSets: shown, diagnostics: [], sections: [] });
    let rules = 0;
    for (const t of Object.values(summary.tables)) for (const c of Object.values(t.chains)) rules += c.rules;
    for (const t of Object.values(summary.nftables ?? {})) for (const c of Object.values(t.chains)) rules += c.rules;
    const head: AnalysisSummary = {
      kind,
      format: kind === 'manifests' ? 'manifests' : (parseFormats(loaded) ?? 'none'),
      mode: loaded.mode,
      lines: lineCount(text),
      rules,
      services: summary.services.map((s) => ({ name: s.service ?? s.comment ?? s.chain, family: s.family, chain: s.chain, endpoints: s.endpoints.length })),
      ipvsServices: summary.ipvs.length,
      ipsets: Object.keys(summary.ipsets).length,
      diagnostics: [...diagnostics],
    };
    early(head);
    progress('linting');
    const linted = lint([{ file: INPUT_NAME, text, kind }], defaultConfig());
    const findings: PlainFinding[] = [
      ...linted.findings.map((f) => ({ line: f.line, column: f.column, severity: f.severity, ruleId: f.ruleId, message: f.message, docs: docsUrl(f.ruleId) })),
      ...linted.notes.map((n) => ({ line: n.line, column: n.column, severity: n.severity, ruleId: n.ruleId, message: n.message, docs: docsUrl(n.ruleId) })),
    ].sort((a, b) => a.line - b.line || a.column - b.column);
    for (const d of linted.diagnostics) if (!diagnostics.some((x) => x.line === d.line && x.message === d.message)) diagnostics.push(plainDiagnostic(d));
    progress('printing');
    this.outputs = kind === 'manifests' ? compiledOutputs(text) : dumpOutputs(text, loaded);
    return {
      ...head,
      diagnostics,
      findings,
      outputs: this.outputs,
      millis: Date.now() - started,
    };
  }

  /** Every line of an output in plain words (read back from the output's own text, so the lines are its own). */
  explain(outputId: string, lang: Lang): ExplainRow[] {
    const key = `${outputId}/${lang}`;
    const cached = this.explained.get(key);
    if (cached) return cached;
    const output = this.outputs.find((o) => o.id === outputId);
    let rows: ExplainRow[] = [];
    if (output && this.loaded) {
      const ruleSets = output.id === 'pasted' ? [...relevantRuleSets(this.loaded), ...this.loaded.nft] : parseDumpText(output.text, INPUT_NAME).ruleSets;
      rows = explainAll(ruleSets, lang).map((i) => ({ line: i.line ?? 0, text: i.text, chain: i.chain ?? '', sentence: i.sentence }));
    }
    this.explained.set(key, rows);
    return rows;
  }

  /** The chain graph, of one service (`ns/name`) or of all. */
  graph(service?: string): ChainGraph {
    if (!this.loaded) return { nodes: [], edges: [] };
    const options = service ? { service } : {};
    const iptables = buildGraph(relevantRuleSets(this.loaded), options);
    const nft = buildNftGraph(this.loaded.nft, options);
    return { nodes: [...iptables.nodes, ...nft.nodes], edges: [...iptables.edges, ...nft.edges] };
  }

  trace(request: TraceRequest): TraceReply {
    const loaded = this.loaded;
    if (!loaded) return { ok: false, error: 'nothing to trace: paste rules or manifests first' };
    if (hasErrors(loaded.diagnostics)) return { ok: false, error: 'the input has errors (see the summary)' };
    this.tracer ??= new Tracer({
      ruleSets: loaded.ruleSets,
      nft: loaded.nft,
      nodeIPs: loaded.nodeIPs,
      podCIDRs: loaded.podCIDRs,
      nodeIPOrigins: loaded.nodeIPOrigins,
      podCIDROrigins: loaded.podCIDROrigins,
    });
    const answer = traceQuery(this.tracer, loaded.cluster, {
      destination: request.destination.trim(),
      protocol: request.protocol,
      ...(request.source?.trim() ? { source: request.source.trim() } : {}),
      ...(request.from ? { from: request.from } : {}),
    });
    return answer.ok ? { ok: true, result: answer.result, text: formatTraceText(answer.result) } : answer;
  }
}

/** The semantic difference of two inputs, each manifests or a dump, as `rulec diff A B`. */
export function diffTexts(a: string, b: string): DiffReply {
  const sides = loadSides(['-'], ['-'], { readStdin: () => a }, undefined, () => b);
  const diagnostics = sides.diagnostics.map(plainDiagnostic);
  if (hasErrors(sides.diagnostics) || !sides.a || !sides.b) return { ok: false, equal: false, summary: [], text: '', diagnostics };
  const result = diffSides(sides.a, sides.b);
  return { ok: true, equal: result.equal, summary: result.summary, text: formatDiffText(result), diagnostics };
}

function explainAll(ruleSets: readonly RuleSet[], lang: Lang): ExplainedItem[] {
  const options = { lang };
  return [...explainRuleSets(ruleSets.filter((r) => r.kind !== 'nft'), options), ...explainNftRuleSets(ruleSets.flatMap((r) => (r.kind === 'nft' ? [r] : [])), options)];
}

/** Manifests compiled in every mode: the texts `rulec compile` prints. */
function compiledOutputs(text: string): RuleOutput[] {
  const loaded = loadCluster(['-'], {}, () => text);
  if (hasErrors(loaded.diagnostics)) return [];
  const { cluster } = loaded;
  const settings = (mode: string) => resolveSettings(cluster, { mode }, []);
  const iptables = compileIptables(cluster, settings('iptables'));
  const out: RuleOutput[] = [
    { id: 'iptables', label: 'iptables', text: printIptablesRestore(iptables) },
    { id: 'ipvs', label: 'IPVS', text: ipvsEmitText(compileIpvs(cluster, settings('ipvs')), 'all') },
    { id: 'nftables', label: 'nftables', text: printNft(compileNftables(cluster, settings('nftables'))) },
    { id: 'as-saved', label: 'as saved', text: printIptablesSave(addHooks(iptables as IptablesRuleSet, settings('iptables').profile)) },
  ];
  const mode = loaded.settings.mode;
  // The configured mode first.
  return [...out.filter((o) => o.id === mode), ...out.filter((o) => o.id !== mode)];
}

/** A dump as pasted, and in canonical form (`rulec fmt`) where rulec prints its format. */
function dumpOutputs(text: string, loaded: LoadedRules): RuleOutput[] {
  const out: RuleOutput[] = [{ id: 'pasted', label: 'as pasted', text }];
  if (hasErrors(loaded.diagnostics)) return out;
  const pieces: string[] = [];
  for (const rs of [...loaded.ruleSets, ...loaded.nft]) {
    let t = canonicalText(rs);
    // As `rulec fmt` prints it: rulec prints no `iptables -L` layout, a listing's rules are printed as `iptables -S` prints them.
    if (t === undefined && rs.kind === 'iptables' && rs.origin === 'iptables-list') t = printIptablesRules(canonicalizeIptables(rs), { counters: false });
    if (t !== undefined) pieces.push(t);
  }
  if (pieces.length > 0) out.push({ id: 'canonical', label: 'canonical', text: pieces.join('') });
  return out;
}

function parseFormats(loaded: LoadedRules): string | undefined {
  const origins = new Set<string>();
  for (const rs of [...loaded.ruleSets, ...loaded.nft]) origins.add(rs.origin);
  return origins.size > 0 ? [...origins].join('+') : undefined;
}

function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.length > 0 && !text.endsWith('\n') ? n + 1 : n;
}

function plainDiagnostic(d: Diagnostic): PlainDiagnostic {
  return { line: d.line, column: d.column, severity: d.severity, code: d.code, message: d.message };
}
