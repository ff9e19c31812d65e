import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../runner.js';
import { ALL_RULES } from '../rules/index.js';
import { dedent } from '../testing/rule-tester.js';
import { validateJson, type Schema } from '../testing/json-schema.js';
import { excerpt, excerptNote } from '../testing/excerpt.js';
import { SEP1, SEP2, SVC, sepRules, serviceYaml, svcJump } from '../testing/fixtures.js';
import { FORMATTERS, entriesOf, tally, useColor, type FormatInput } from './index.js';
import { buildSarif } from './sarif.js';
import { escapeData, escapeProperty } from './github.js';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../testing/fixtures/sarif-schema-2.1.0.json'), 'utf8')) as Schema;

const CWD = '/work/repo';
const NODE = `${CWD}/dumps/node-1.iptables`;
const IPVS = `${CWD}/dumps/node-2.ipvs`;
const APP = `${CWD}/deploy/app.yaml`;
const JUNK = '/tmp/elsewhere/notes.txt';

/** A run over several files: two dumps, manifests, and a file that is no dump at all. */
function multiFileRun(): FormatInput {
  const result = lint([
    {
      file: NODE,
      text: dedent(`
        *nat
        :${SVC} - [0:0]
        :${SEP1} - [0:0]
        :${SEP2} - [0:0]
        ${svcJump(SEP1, '10.180.0.1', '0.5000000000')}
        ${svcJump(SEP2, '10.180.0.2', '0.5000000000')}
        ${sepRules(SEP1, '10.180.0.1')}
        -A ${SEP2} -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
        COMMIT
      `),
    },
    { file: IPVS, text: '-A -u 10.96.0.10:53 -s rr\n' },
    { file: APP, text: serviceYaml('web', ['type: NodePort', 'clusterIP: 10.96.0.20', 'selector: {app: web}', 'ports:', '- port: 80', '  nodePort: 8080']) },
    { file: JUNK, text: 'A KUBE-SERVICES -j KUBE-SVC-X\n' },
  ]);
  return { ...result, rules: ALL_RULES, cwd: CWD, color: false, version: '0.1.0' };
}

describe('sarif', () => {
  it('the log of a multi-file run is valid SARIF 2.1.0', () => {
    const log = buildSarif(multiFileRun());
    expect(validateJson(log, schema)).toEqual([]);
  });

  it('carries rule metadata, results with relative locations, and input problems as notifications', () => {
    const run = (buildSarif(multiFileRun()).runs as Record<string, unknown>[])[0] as {
      tool: { driver: { rules: { id: string; helpUri: string; defaultConfiguration: { level: string } }[] } };
      results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: unknown } }[] }[];
      invocations: { executionSuccessful: boolean; toolExecutionNotifications: { descriptor: { id: string } }[] }[];
    };
    const rules = run.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(ALL_RULES.map((r) => r.meta.id).sort());
    const pc = rules.find((r) => r.id === 'probability-cascade');
    expect(pc?.helpUri).toMatch(/\/docs\/rules\/probability-cascade\.md$/);
    expect(pc?.defaultConfiguration.level).toBe('error');
    const app = { uri: 'deploy/app.yaml', uriBaseId: '%SRCROOT%' };
    const node1 = { uri: 'dumps/node-1.iptables', uriBaseId: '%SRCROOT%' };
    expect(run.results.map((r) => [r.ruleId, rules[r.ruleIndex]?.id, r.level, r.locations[0]?.physicalLocation.artifactLocation])).toEqual([
      ['nodeport-range', 'nodeport-range', 'error', app],
      ['unused-chain', 'unused-chain', 'warning', node1],
      ['probability-cascade', 'probability-cascade', 'error', node1],
      ['dangling-jump', 'dangling-jump', 'error', node1],
      ['missing-hairpin-masq', 'missing-hairpin-masq', 'error', node1],
      ['ipvs-no-real-servers', 'ipvs-no-real-servers', 'warning', { uri: 'dumps/node-2.ipvs', uriBaseId: '%SRCROOT%' }],
    ]);
    expect(run.results[2]?.locations[0]?.physicalLocation.region).toEqual({ startLine: 6, startColumn: 110, endLine: 6, endColumn: 136 });
    expect(run.invocations[0]?.executionSuccessful).toBe(false);
    expect(run.invocations[0]?.toolExecutionNotifications.map((n) => n.descriptor.id)).toEqual(['RC290', 'RC291']);
  });

  it('the checker rejects what is not SARIF (so the test above can fail)', () => {
    const log = buildSarif(multiFileRun()) as { version: string; runs: { results: { level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    const bad = structuredClone(log);
    bad.version = '2.0.0';
    const first = bad.runs[0]?.results[0];
    if (first) {
      first.level = 'fatal';
      const region = first.locations[0]?.physicalLocation.region;
      if (region) region.startLine = 0;
    }
    expect(validateJson(bad, schema).map((e) => e.path)).toEqual(['/version', '/runs/0/results/0/level', '/runs/0/results/0/locations/0/physicalLocation/region/startLine']);
  });
});

describe('json', () => {
  it('prints one object per problem, input problems with their code', () => {
    const out = JSON.parse(FORMATTERS.json?.(multiFileRun()) ?? '') as Record<string, unknown>[];
    expect(out[2]).toEqual({
      file: APP,
      line: 12,
      column: 15,
      endLine: 12,
      endColumn: 19,
      ruleId: 'nodeport-range',
      severity: 'error',
      message: 'nodePort 8080 of shop/web is outside the NodePort range 30000-32767: the API server rejects it',
    });
    expect(out.map((o) => o.ruleId)).toEqual([
      'RC290',
      'RC291',
      'nodeport-range',
      'unused-chain',
      'probability-cascade',
      'dangling-jump',
      'missing-hairpin-masq',
      'ipvs-no-real-servers',
    ]);
    expect(out[1]).toMatchObject({ file: JUNK, ruleId: 'RC291', severity: 'error' });
    expect(Object.keys(out[0] ?? {})).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'ruleId', 'severity', 'message']);
  });
});

describe('github', () => {
  it('prints workflow commands with escaped properties', () => {
    const lines = (FORMATTERS.github?.(multiFileRun()) ?? '').split('\n');
    expect(lines[2]).toBe(
      '::error file=deploy/app.yaml,line=12,col=15,endLine=12,endColumn=19,title=rulec nodeport-range::nodePort 8080 of shop/web is outside the NodePort range 30000-32767: the API server rejects it (nodeport-range)',
    );
    expect(lines[7]).toBe(
      '::warning file=dumps/node-2.ipvs,line=1,col=1,endLine=1,endColumn=26,title=rulec ipvs-no-real-servers::virtual service UDP 10.96.0.10:53 has no real servers: connections to it are not forwarded anywhere (ipvs-no-real-servers)',
    );
    expect(lines[0]).toMatch(/^::warning file=\/tmp\/elsewhere\/notes\.txt,line=1,col=1,endLine=1,endColumn=1,title=rulec RC290::.* \(RC290\)$/);
    expect(lines[1]).toMatch(/^::error file=\/tmp\/elsewhere\/notes\.txt,line=1,col=1,endLine=1,endColumn=1,title=rulec RC291::no dump found: /);
    expect(lines).toHaveLength(9);
  });
});

describe('github escaping', () => {
  it('escapes as @actions/core does', () => {
    expect(escapeProperty('dir,1/a:b%.yaml')).toBe('dir%2C1/a%3Ab%25.yaml');
    expect(escapeData('one: two\nthree 100%')).toBe('one: two%0Athree 100%25');
  });
});

describe('stylish', () => {
  it('groups by file with aligned columns and a summary', () => {
    const input = multiFileRun();
    const out = FORMATTERS.stylish?.({ ...input, findings: input.findings.filter((f) => f.file !== NODE), diagnostics: [] }) ?? '';
    expect(out).toBe(
      [
        '',
        'deploy/app.yaml',
        '  12:15  error  nodePort 8080 of shop/web is outside the NodePort range 30000-32767: the API server rejects it  nodeport-range',
        '',
        'dumps/node-2.ipvs',
        '  1:1  warning  virtual service UDP 10.96.0.10:53 has no real servers: connections to it are not forwarded anywhere  ipvs-no-real-servers',
        '',
        '✖ 2 problems (1 error, 1 warning)',
        '',
      ].join('\n'),
    );
  });

  it('colours only when asked', () => {
    const input = multiFileRun();
    expect(FORMATTERS.stylish?.(input)).not.toMatch(/\u001b\[/);
    const coloured = FORMATTERS.stylish?.({ ...input, color: true }) ?? '';
    expect(coloured).toContain('\u001b[31merror\u001b[39m');
    expect(coloured).toContain('\u001b[4mdeploy/app.yaml\u001b[24m');
  });

  it('prints nothing for a clean run', () => {
    expect(FORMATTERS.stylish?.({ ...multiFileRun(), findings: [], diagnostics: [] })).toBe('');
  });

  it('decides colour from the terminal, NO_COLOR and FORCE_COLOR', () => {
    expect(useColor(true, {})).toBe(true);
    expect(useColor(false, {})).toBe(false);
    expect(useColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(true, { NO_COLOR: '' })).toBe(true);
    expect(useColor(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColor(true, { FORCE_COLOR: '0', NO_COLOR: '1' })).toBe(false);
  });
});

describe('notes of rules that could not judge part of an input', () => {
  const PASTE = `${CWD}/dumps/paste.txt`;
  /** An excerpt (rule lines cut out of a dump): rules that need the whole table note that they could not judge. */
  function excerptRun(): FormatInput {
    const { code, ruleSet } = excerpt(
      [
        `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j ${SVC}`,
        `-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000`,
        `-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000`,
        '',
      ].join('\n'),
      undefined,
      PASTE,
    );
    const result = lint([{ file: PASTE, text: code, ruleSet }]);
    return { ...result, rules: ALL_RULES, cwd: CWD, color: false, version: '0.1.0' };
  }
  const NOTE = excerptNote();

  it('the run gives one note per rule and file, apart from the findings', () => {
    const run = excerptRun();
    expect(run.findings.map((f) => `${f.line}:${f.column} ${f.ruleId}`)).toEqual(['3:1 duplicate-rule']);
    expect(run.notes?.map((n) => `${n.line}:${n.column} ${n.severity} ${n.ruleId}: ${n.message}`)).toEqual([
      `1:1 note dangling-jump: ${NOTE}`,
      `1:1 note nodeports-not-last: ${NOTE}`,
      `1:1 note unused-chain: ${NOTE}`,
    ]);
  });

  it('stylish lists them with the problems and counts them apart', () => {
    const input = { ...excerptRun(), diagnostics: [] };
    const out = FORMATTERS.stylish?.(input) ?? '';
    expect(out.split('\n').filter((l) => l.includes(' note '))).toHaveLength(3);
    expect(out.endsWith('\n✖ 1 problem (0 errors, 1 warning)\n3 notes (rules could not judge parts of the inputs; not problems)\n')).toBe(true);
    const notesOnly = FORMATTERS.stylish?.({ ...input, findings: [] }) ?? '';
    expect(notesOnly).not.toContain('✖');
    expect(notesOnly.endsWith('\n\n3 notes (rules could not judge parts of the inputs; not problems)\n')).toBe(true);
  });

  it('json prints them with severity "note"; tally does not count them', () => {
    const input = { ...excerptRun(), diagnostics: [] };
    const out = JSON.parse(FORMATTERS.json?.(input) ?? '') as { line: number; ruleId: string; severity: string }[];
    expect(out.map((o) => `${o.line} ${o.severity} ${o.ruleId}`)).toEqual(['1 note dangling-jump', '1 note nodeports-not-last', '1 note unused-chain', '3 warning duplicate-rule']);
    expect(tally(entriesOf(input))).toEqual({ errors: 0, warnings: 1 });
  });

  it('sarif makes them tool execution notifications of level note (not results), and the log stays valid', () => {
    const log = buildSarif({ ...excerptRun(), diagnostics: [] });
    expect(validateJson(log, schema)).toEqual([]);
    const run = (log.runs as Record<string, unknown>[])[0] as {
      tool: { driver: { rules: { id: string }[] } };
      results: { ruleId: string }[];
      invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; associatedRule: { id: string; index: number }; message: { text: string } }[] }[];
    };
    expect(run.results.map((r) => r.ruleId)).toEqual(['duplicate-rule']);
    const notes = run.invocations[0]?.toolExecutionNotifications ?? [];
    expect(notes.map((n) => [n.level, n.associatedRule.id, run.tool.driver.rules[n.associatedRule.index]?.id, n.message.text])).toEqual([
      ['note', 'dangling-jump', 'dangling-jump', NOTE],
      ['note', 'nodeports-not-last', 'nodeports-not-last', NOTE],
      ['note', 'unused-chain', 'unused-chain', NOTE],
    ]);
    expect(run.invocations[0]?.executionSuccessful).toBe(true);
  });

  it('github prints them as ::notice', () => {
    const lines = (FORMATTERS.github?.({ ...excerptRun(), diagnostics: [] }) ?? '').split('\n');
    expect(lines[0]).toBe(
      `::notice file=dumps/paste.txt,line=1,col=1,endLine=1,endColumn=1,title=rulec dangling-jump::${escapeData(NOTE)} (dangling-jump)`,
    );
    expect(lines[3]).toMatch(/^::warning .*title=rulec duplicate-rule::/);
  });
});
