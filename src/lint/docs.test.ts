import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, type LintSettings } from './config/types.js';
import { formatFinding } from './formatters/text.js';
import { lint } from './runner.js';
import { ALL_RULES } from './rules/index.js';
import { svc1Manifests } from './testing/fixtures.js';

/**
 * Every rule has its page under docs/rules/, and the page's examples are true: the failing
 * example gives exactly the finding the page shows, the passing example gives none.
 */

const DOCS = resolve(import.meta.dirname, '../../docs');

/** What a page's example needs besides its text. */
const SETUP: Record<string, { file?: string; settings?: Partial<LintSettings>; manifests?: string; skip?: string }> = {
  'clusterip-outside-cidr': { settings: { serviceCIDRs: ['10.96.0.0/12'] } },
  drift: { file: 'node.iptables', manifests: svc1Manifests(['10.180.0.1', '10.180.0.3']) },
  'ipvs-drift': { file: 'node.ipvs', manifests: svc1Manifests(['10.180.0.1', '10.180.0.3']) },
  'ipvs-duplicate-real-server': { skip: "rulec's ipvsadm reader refuses the repeated line itself (the rule test builds the rule set in memory)" },
};

function blocks(section: string): { lang: string; text: string }[] {
  return [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1] ?? '', text: m[2] ?? '' }));
}

function section(page: string, title: string): string {
  const start = page.indexOf(`## ${title}\n`);
  if (start < 0) return '';
  const next = page.indexOf('\n## ', start + 3);
  return page.slice(start, next < 0 ? page.length : next);
}

describe('rule documentation', () => {
  const guide = readFileSync(join(DOCS, 'lint.md'), 'utf8');
  for (const rule of ALL_RULES) {
    const id = rule.meta.id;
    const path = join(DOCS, 'rules', `${id}.md`);
    describe(id, () => {
      it('has a page with every section, linked from the rule and from docs/lint.md', () => {
        expect(existsSync(path)).toBe(true);
        const page = readFileSync(path, 'utf8');
        expect(page.startsWith(`# ${id}\n`)).toBe(true);
        expect(page).toContain(`**Default severity:** ${rule.meta.severity}`);
        for (const s of ['What it finds', 'Why it matters', 'Failing example', 'Passing example', 'How to fix']) expect(section(page, s)).not.toBe('');
        expect(section(page, 'Why it matters')).toMatch(/\]\(https:\/\/[^)]+\)/);
        expect(rule.meta.docs.url.endsWith(`/docs/rules/${id}.md`)).toBe(true);
        expect(guide).toContain(`| [\`${id}\`](rules/${id}.md) | ${rule.meta.severity} |`);
      });

      const setup = SETUP[id] ?? {};
      it.skipIf(setup.skip !== undefined)('its examples are what rulec lint says', () => {
        const page = readFileSync(path, 'utf8');
        const file = setup.file ?? 'input.txt';
        const config = defaultConfig();
        Object.assign(config.settings, setup.settings ?? {});
        const run = (text: string) =>
          lint([{ file, text }], config, { rules: [rule], ...(setup.manifests ? { manifests: [{ file: 'app.yaml', text: setup.manifests }] } : {}) });
        const failing = blocks(section(page, 'Failing example'));
        const example = failing[0];
        const shown = failing[failing.length - 1];
        if (!example || !shown || shown.lang !== 'text') throw new Error('the failing example needs a code block and the finding it gives');
        const bad = run(example.text);
        expect(bad.diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
        expect(bad.findings.map(formatFinding)).toEqual(shown.text.trim().split('\n'));
        const passing = blocks(section(page, 'Passing example'))[0];
        if (passing && passing.lang !== 'text') {
          const good = run(passing.text);
          expect(good.diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
          expect(good.findings.map(formatFinding)).toEqual([]);
        }
      });
    });
  }
});
