import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileConfigLoader } from './file-loader.js';
import { applyRuleFlags, loadLintConfig } from './index.js';
import { defaultConfig } from './types.js';

const root = mkdtempSync(join(tmpdir(), 'rulec-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const loader = fileConfigLoader({ stopDir: root });

describe('configuration discovery', () => {
  it('reads .rulecrc.yaml found above the working directory', async () => {
    const dir = project('yaml', {
      '.rulecrc.yaml': 'rules:\n  duplicate-rule: off\n  stale-sep: error\nnode:\n  name: node-1\n  ips: [192.168.0.2]\nclusterCIDR: 10.244.0.0/16\nserviceCIDR: 10.96.0.0/12\nnodePortRange: 20000-22767\n',
      'deploy/apps/x.txt': '',
    });
    const r = await loadLintConfig({ cwd: join(dir, 'deploy/apps'), loader });
    expect(r.diagnostics).toEqual([]);
    expect(r.filepath).toBe(join(dir, '.rulecrc.yaml'));
    expect(r.config).toEqual({
      rules: { 'duplicate-rule': 'off', 'stale-sep': 'error' },
      settings: { nodeName: 'node-1', nodeIPs: ['192.168.0.2'], clusterCIDR: '10.244.0.0/16', serviceCIDRs: ['10.96.0.0/12'], nodePortRange: { min: 20000, max: 22767 } },
    });
  });

  it('prefers .rulecrc.yaml over .rulecrc.json in one directory, and the nearest directory over others', async () => {
    const dir = project('order', {
      '.rulecrc.json': '{"rules": {"drift": "warn"}}',
      'sub/.rulecrc.json': '{"rules": {"drift": 0}}',
      'sub/.rulecrc.yaml': 'rules: {drift: 1}\n',
    });
    expect((await loadLintConfig({ cwd: join(dir, 'sub'), loader })).config.rules).toEqual({ drift: 'warning' });
    expect((await loadLintConfig({ cwd: dir, loader })).config.rules).toEqual({ drift: 'warning' });
  });

  it('reads rulec.config.js (its default export)', async () => {
    const dir = project('js', { 'rulec.config.js': 'export default { rules: { "unused-chain": "error" } };\n', 'package.json': '{"type": "module"}' });
    const r = await loadLintConfig({ cwd: dir, loader });
    expect(r.config.rules).toEqual({ 'unused-chain': 'error' });
  });

  it('reads the rulec key of package.json, and passes over a package.json without one', async () => {
    const dir = project('pkg', { 'package.json': '{"name": "x", "rulec": {"rules": {"shadowed-rule": "off"}}}', 'inner/package.json': '{"name": "inner"}' });
    const r = await loadLintConfig({ cwd: join(dir, 'inner'), loader });
    expect(r.filepath).toBe(join(dir, 'package.json'));
    expect(r.config.rules).toEqual({ 'shadowed-rule': 'off' });
  });

  it('uses the defaults when there is no configuration', async () => {
    const r = await loadLintConfig({ cwd: project('none', { 'a.txt': '' }), loader });
    expect(r).toEqual({ config: defaultConfig(), diagnostics: [] });
  });

  it('points at invalid values and unknown rules', async () => {
    const dir = project('bad', { '.rulecrc.yaml': 'rules:\n  no-such-rule: error\n  drift: loud\nnodePortRange: 40000-30000\nfoo: 1\n' });
    const r = await loadLintConfig({ cwd: dir, loader });
    const file = join(dir, '.rulecrc.yaml');
    expect(r.diagnostics.map((d) => `${d.file === file ? 'F' : d.file}:${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      expect.stringMatching(/^F:3:10 RC701 configuration: rules\.drift: /),
      'F:4:16 RC701 configuration: nodePortRange: not a valid port range',
      'F:1:1 RC701 configuration: (top level): Unrecognized key: "foo" (foo)',
    ]);
  });

  it('reports an unknown rule in a valid file', async () => {
    const dir = project('unknown', { '.rulecrc.json': '{\n  "rules": {"no-such-rule": "error"}\n}\n' });
    const r = await loadLintConfig({ cwd: dir, loader });
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual(['2:29 RC702 configuration: no lint rule is called "no-such-rule"']);
  });

  it('reports a file that is not YAML', async () => {
    const dir = project('broken', { '.rulecrc.yaml': 'rules: [\n' });
    const r = await loadLintConfig({ cwd: dir, loader });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]?.message).toMatch(/^cannot read the configuration: /);
  });
});

describe('--rule flags', () => {
  it('override the configuration', () => {
    const c = defaultConfig();
    c.rules['drift'] = 'off';
    expect(applyRuleFlags(c, ['drift=error', 'stale-sep=warn', 'unused-chain=0'])).toEqual([]);
    expect(c.rules).toEqual({ drift: 'error', 'stale-sep': 'warning', 'unused-chain': 'off' });
  });
  it('reject unknown rules and severities', () => {
    const d = applyRuleFlags(defaultConfig(), ['nope=error', 'drift=loud']);
    expect(d.map((x) => x.message)).toEqual(['--rule nope: no lint rule is called "nope"', '--rule "drift=loud": expected ID=off|warn|error']);
  });
});
