import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wideService } from '../../test/support/wide-service.js';

const root = join(import.meta.dirname, '..', '..');
const canRelaunch = process.platform === 'linux' && existsSync('/sys/kernel/mm/transparent_hugepage/enabled') && readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'latin1').includes('[madvise]');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The children of process `pid` (Linux). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Whether `pid` is a live process (a zombie waiting for its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return !/^\d+ \(.*\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(5)) if (condition()) return true;
  return condition();
}

function start(args: string[], stdin: 'ignore' | 'pipe'): ChildProcess {
  return spawn(process.execPath, ['bin/rulec.js', ...args], { cwd: root, env: { ...process.env, RULEC_LARGE_PAGES: '1' }, stdio: [stdin, 'ignore', 'ignore'] });
}

describe.runIf(canRelaunch)('the huge-page child ends with its parent', () => {
  let dir: string;
  const started: number[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rulec-lifeline-'));
  });
  afterEach(() => {
    for (const pid of started.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('kill -9 of rulec while the child writes -o: the child stops, the target stays as it was, no temporary file is left', async () => {
    const input = join(dir, 'wide.json');
    writeFileSync(input, wideService(200, 500));
    const out = join(dir, 'out.iptables');
    writeFileSync(out, 'old\n');
    const parent = start(['compile', input, '-o', out], 'ignore');
    started.push(parent.pid as number);
    expect(await until(() => readdirSync(dir).some((n) => n.endsWith('.tmp')), 30_000)).toBe(true);
    const [child] = childrenOf(parent.pid as number);
    expect(child).toBeDefined();
    started.push(child as number);
    parent.kill('SIGKILL');
    expect(await until(() => !alive(child as number), 3000)).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('old\n');
    expect(readdirSync(dir).sort()).toEqual(['out.iptables', 'wide.json']);
  });

  it('kill -9 of rulec while the child reads its input: the child ends once it can, and writes nothing', async () => {
    const out = join(dir, 'out.iptables');
    const parent = start(['compile', '-', '-o', out], 'pipe');
    started.push(parent.pid as number);
    expect(await until(() => childrenOf(parent.pid as number).length > 0, 30_000)).toBe(true);
    const [child] = childrenOf(parent.pid as number);
    started.push(child as number);
    parent.kill('SIGKILL');
    await until(() => !alive(parent.pid as number), 3000);
    parent.stdin?.end(readFileSync(join(root, 'examples', 'cluster', 'nodeport-app.yaml')));
    expect(await until(() => !alive(child as number), 5000)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a child whose parent lives writes as before', async () => {
    const out = join(dir, 'out.iptables');
    const parent = start(['compile', join(root, 'examples', 'cluster'), '-o', out], 'ignore');
    const code = await new Promise((resolve) => parent.on('exit', resolve));
    expect(code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^\*filter\n[^]*COMMIT\n$/);
    expect(readdirSync(dir)).toEqual(['out.iptables']);
  });
});
