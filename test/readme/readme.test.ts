import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The commands of README.md and docs/*.md run as written from a clone of the repository, after
 * `npm ci && npm run build`, and print what the documents show.
 *
 * What counts as a command, in a fenced code block:
 * - in a block with lines starting `$ ` (a transcript), each such line; the lines up to the next
 *   `$ ` line are what it prints (standard output and error together), compared line for line,
 *   where a line of only `…` stands for any number of lines; no lines means it prints nothing.
 *   `$ echo $?` followed by a number gives the exit status of the command before it;
 * - in a `sh`/`console` block without `$ ` lines, each line that is not a comment; its output is
 *   not shown, and its trailing comment may give its exit status (`exit 1`).
 * A command exits 0 unless the document says otherwise. `npx rulec` runs the built program
 * (`node bin/rulec.js`), in bash with `pipefail`, from the repository's root.
 *
 * Blocks whose commands need what a test run does not have carry an HTML comment on the line
 * before them, `<!-- readme-test: skip (REASON) -->`, and are listed in SKIPPED below: a new one
 * has to be added there on purpose.
 */
const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin', 'rulec.js');
const DOCUMENTS = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((n) => n.endsWith('.md'))
    .sort()
    .map((n) => `docs/${n}`),
];

/**
 * The blocks not run, by document and first command, with the reason in the document. They need
 * a cluster (kubectl), a node (ssh, iptables-save on it), or root and the kernel's tools
 * (`unshare -n iptables-restore`, `nft`), or run until stopped (the playground's server); the first README block installs the packages and runs
 * this whole suite, this test included.
 */
const SKIPPED = [
  "README.md: npm ci && npx rulec compile examples/cluster (installs the packages and runs this repository's own test suite)",
  'README.md: kubectl get svc,endpointslices -A -o json | npx rulec compile - -o rules.iptables (needs a cluster, root or a node)',
  'README.md: ssh node sudo iptables -t nat -L -n -v --line-numbers | npx rulec parse --summary - (needs a node)',
  'docs/lint.md: iptables-save | npx rulec lint - (needs a node)',
  'docs/nftables.md: npx rulec compile --mode nftables examples/cluster | sudo unshare -n nft -c -f - (needs root and nft)',
  'docs/playground.md: npx rulec playground (serves the page until stopped)',
  'docs/trace.md: ssh worker-1 sudo iptables-save > worker-1.iptables-save (needs a node)',
  'docs/trace.md: kubectl get svc,endpointslices -A -o yaml > now.yaml (needs a cluster)',
];

const SHELL_BLOCKS = new Set(['sh', 'bash', 'shell', 'console']);
const SKIP_MARK = /^<!--\s*readme-test:\s*skip\s*\((.+)\)\s*-->$/;

interface Block {
  file: string;
  /** 1-based line of the first line inside the fence. */
  line: number;
  lang: string;
  lines: string[];
  /** The reason given by a skip mark on the line before the fence. */
  skip: string | null;
}

interface DocCommand {
  file: string;
  line: number;
  text: string;
  exit: number;
  /** The lines the document shows it printing; null when it shows none (a command list). */
  output: string[] | null;
}

function blocksOf(file: string): Block[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const out: Block[] = [];
  let open: Block | null = null;
  let fence = '';
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (open) {
      if (l.trim() === fence) {
        out.push(open);
        open = null;
      } else open.lines.push(l);
      continue;
    }
    const m = /^(`{3,})(\S*)\s*$/.exec(l);
    if (!m) continue;
    fence = m[1] ?? '```';
    const before = (lines[i - 1] ?? '').trim();
    open = { file, line: i + 2, lang: m[2] ?? '', lines: [], skip: SKIP_MARK.exec(before)?.[1] ?? null };
  }
  return out;
}

function commandsOf(block: Block): DocCommand[] {
  const out: DocCommand[] = [];
  if (block.lines.some((l) => l.startsWith('$ '))) {
    let last: DocCommand | null = null;
    for (let i = 0; i < block.lines.length; i++) {
      const l = block.lines[i] ?? '';
      if (l === '$ echo $?') {
        const status = block.lines[++i] ?? '';
        if (!last || !/^\d+$/.test(status)) throw new Error(`${block.file}:${block.line + i}: $ echo $? needs a command before it and a number after it`);
        last.exit = Number(status);
        continue;
      }
      if (l.startsWith('$ ')) {
        last = { file: block.file, line: block.line + i, text: l.slice(2), exit: 0, output: [] };
        out.push(last);
      } else if (last?.output) last.output.push(l);
      else throw new Error(`${block.file}:${block.line + i}: output before any $ command`);
    }
    return out;
  }
  if (!SHELL_BLOCKS.has(block.lang)) return out;
  block.lines.forEach((l, i) => {
    const t = l.trim();
    if (t === '' || t.startsWith('#')) return;
    const comment = /\s#\s(.*)$/.exec(t);
    const exit = comment ? /\bexits? (\d+)\b/.exec(comment[1] ?? '') : null;
    out.push({ file: block.file, line: block.line + i, text: (comment ? t.slice(0, comment.index) : t).trim(), exit: exit ? Number(exit[1]) : 0, output: null });
  });
  return out;
}

/** Whether the printed lines are what the document shows, a `…` line standing for any lines. */
function fits(shown: readonly string[], printed: readonly string[]): boolean {
  const segments: string[][] = [[]];
  for (const l of shown) {
    if (l.trim() === '…') segments.push([]);
    else segments[segments.length - 1]?.push(l);
  }
  const at = (seg: readonly string[], i: number) => seg.every((l, k) => printed[i + k] === l);
  const first = segments[0] ?? [];
  if (segments.length === 1) return first.length === printed.length && at(first, 0);
  const last = segments[segments.length - 1] ?? [];
  const end = printed.length - last.length;
  if (end < first.length || !at(first, 0) || !at(last, end)) return false;
  let pos = first.length;
  for (const seg of segments.slice(1, -1)) {
    let found = -1;
    for (let i = pos; i + seg.length <= end; i++) {
      if (at(seg, i)) {
        found = i;
        break;
      }
    }
    if (found < 0) return false;
    pos = found + seg.length;
  }
  return true;
}

function run(command: string): { status: number | null; output: string } {
  const shell = command.replaceAll('npx rulec ', `node ${JSON.stringify(bin)} `);
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', `{ ${shell}\n} 2>&1`], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, output: r.stdout };
}

/** The repository's files, when this is a git checkout (else null): what a fresh clone has. */
const tracked: Set<string> | null = (() => {
  if (!existsSync(join(root, '.git'))) return null;
  const r = spawnSync('git', ['ls-files'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return r.status === 0 ? new Set(r.stdout.split('\n').filter(Boolean)) : null;
})();

const blocks = DOCUMENTS.flatMap(blocksOf);
const runnable = blocks.filter((b) => b.skip === null).flatMap(commandsOf);

describe('the commands of the README and docs', () => {
  it('the CLI is built (npm run build)', () => {
    expect(existsSync(join(root, 'dist', 'cli-bundle', 'main.js'))).toBe(true);
  });

  it('are found, and only the listed blocks are skipped', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(30);
    const skipped = blocks.filter((b) => b.skip !== null).map((b) => `${b.file}: ${commandsOf(b)[0]?.text ?? '(no command)'} (${b.skip})`);
    expect(skipped).toEqual(SKIPPED);
  });

  it('use npx rulec, as a clone has no rulec on its PATH', () => {
    const bare = runnable.filter((c) => /(^|[|;&(]\s*)rulec\s/.test(c.text)).map((c) => `${c.file}:${c.line}: ${c.text}`);
    expect(bare).toEqual([]);
  });

  it('name files the repository has', () => {
    const missing: string[] = [];
    for (const c of runnable) {
      for (const word of c.text.split(/[\s()<>|]+/)) {
        if (!/^(examples|test|docs)\//.test(word)) continue;
        const path = word.replace(/\/$/, '');
        const there = tracked ? tracked.has(path) || [...tracked].some((f) => f.startsWith(`${path}/`)) : existsSync(join(root, path));
        if (!there) missing.push(`${c.file}:${c.line}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  for (const c of runnable) {
    it(`${c.file}:${c.line}: ${c.text}`, () => {
      const r = run(c.text);
      const printed = r.output.endsWith('\n') ? r.output.slice(0, -1).split('\n') : r.output === '' ? [] : r.output.split('\n');
      if (c.output !== null && !fits(c.output, printed)) expect(printed.join('\n')).toBe(c.output.join('\n'));
      expect(r.status, r.output.slice(0, 2000)).toBe(c.exit);
    });
  }
});
