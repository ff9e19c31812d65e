import { fstatSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { MANIFEST_FILE } from '../model/manifest-file.js';

/**
 * Large inputs run in a child process that asks glibc's allocator for transparent huge pages.
 *
 * Reading a 40 MB manifest list and writing 34 MB of rules touches a few hundred megabytes of
 * fresh memory, and the kernel maps each 4 KiB page on first touch: on a virtual machine that is
 * a quarter of a second or more. Linux backs memory with 2 MiB pages only where a program asks
 * (`madvise`, the usual setting of /sys/kernel/mm/transparent_hugepage/enabled), and glibc asks
 * for what it allocates when started with `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`: a setting
 * read when the process starts, hence the child. The child costs a Node.js start (a few tens
 * of milliseconds), so small inputs run in this process.
 *
 * `RULEC_LARGE_PAGES=0` never starts the child, `=1` starts it whatever the input size. The
 * child ends with this process, even one killed with SIGKILL (lifeline.ts): it never replaces
 * an `-o` target once nobody waits for it.
 */

/** The descriptor of the child's lifeline, and the variable naming its parent (lifeline.ts). */
export const LIFELINE_FD = 3;
export const LIFELINE_ENV = 'RULEC_PARENT_PID';

/** Inputs of this many bytes or more gain more than the child process costs. */
export const LARGE_INPUT_BYTES = 16 << 20;

const TUNABLE = 'glibc.malloc.hugetlb=1';
const THP_SETTING = '/sys/kernel/mm/transparent_hugepage/enabled';

export interface RelaunchFacts {
  platform: string;
  env: Record<string, string | undefined>;
  /** The arguments after the program (`compile`, `big.json`, `-o`, …). */
  args: readonly string[];
  /** The transparent huge page setting, as the kernel prints it (`always [madvise] never`). */
  thpSetting: () => string | undefined;
  /** The size of a regular file at this path (`-` for standard input), else undefined. */
  fileSize: (path: string) => number | undefined;
  /** Whether a debugger can attach to this process (the command then runs here, where it waits). */
  inspectorActive: () => boolean;
}

/** Options whose value is a file rulec writes, not one it reads. */
const OUTPUT_OPTIONS = new Set(['-o', '--output']);

/** The environment for the child, or undefined to run here. */
export function largePagesEnvironment(facts: RelaunchFacts): Record<string, string | undefined> | undefined {
  const { env } = facts;
  // The cheap questions first: every run of rulec asks them.
  if (facts.platform !== 'linux' || env.RULEC_LARGE_PAGES === '0') return undefined;
  // Set already: this is the child, or the caller chose the allocator's setting.
  if (env.GLIBC_TUNABLES?.includes('glibc.malloc.hugetlb')) return undefined;
  if (env.RULEC_LARGE_PAGES !== '1' && (readsFewChains(facts.args) || inputBytes(facts) < LARGE_INPUT_BYTES)) return undefined;
  // Huge pages come on request only in `madvise` mode: `always` gives them anyway, `never` never.
  if (!facts.thpSetting()?.includes('[madvise]') || facts.inspectorActive()) return undefined;
  return { ...env, GLIBC_TUNABLES: env.GLIBC_TUNABLES ? `${env.GLIBC_TUNABLES}:${TUNABLE}` : TUNABLE };
}

/**
 * Whether the command reads only the chains it needs of dumps (`trace`, `explain --chain`):
 * its memory stays small whatever the input's size, and the child would only cost its start.
 */
function readsFewChains(args: readonly string[]): boolean {
  const command = args[0];
  // Manifests are compiled whole first.
  if (args.some((a) => MANIFEST_FILE.test(a))) return false;
  return command === 'trace' || (command === 'explain' && args.some((a) => a === '--chain' || a.startsWith('--chain=')) && !args.some((a) => a === '--line' || a.startsWith('--line=')));
}

/** The bytes of the files named among the arguments (directories are not walked). */
function inputBytes(facts: RelaunchFacts): number {
  let total = 0;
  for (let k = 0; k < facts.args.length; k++) {
    const arg = facts.args[k] as string;
    if (OUTPUT_OPTIONS.has(arg)) {
      k++;
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') continue;
    total += facts.fileSize(arg) ?? 0;
  }
  return total;
}

function fileSize(path: string): number | undefined {
  try {
    const st = path === '-' ? fstatSync(0) : statSync(path, { throwIfNoEntry: false });
    return st?.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

function thpSetting(): string | undefined {
  try {
    return readFileSync(THP_SETTING, 'latin1');
  } catch {
    return undefined;
  }
}

/**
 * Runs this same command in a child with huge pages when that pays, and resolves to its exit
 * code; resolves to undefined when the command should run in this process (small input, no
 * such setting, or the child could not start). What only the child needs is loaded only then.
 */
export async function runWithLargePages(argv: readonly string[]): Promise<number | undefined> {
  const env = largePagesEnvironment({
    platform: process.platform,
    env: process.env,
    args: argv.slice(2),
    thpSetting,
    fileSize,
    inspectorActive: () => (createRequire(import.meta.url)('node:inspector') as typeof import('node:inspector')).url() !== undefined,
  });
  if (!env) return undefined;
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    // The child's lifeline (lifeline.ts): its end of a socket pair as descriptor 3 reads
    // end-of-file when this process ends, however it ends, and the child then stops.
    const child = spawn(process.execPath, [...process.execArgv, ...argv.slice(1)], {
      stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
      env: { ...env, [LIFELINE_ENV]: String(process.pid) },
    });
    const lifeline = child.stdio[LIFELINE_FD];
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    let started = false;
    child.once('spawn', () => {
      started = true;
      signals.forEach((s) => process.on(s, forward));
    });
    // Only a child that never started leaves the command to this process.
    child.on('error', () => {
      if (!started) resolve(undefined);
    });
    child.once('exit', (code, signal) => {
      signals.forEach((s) => process.off(s, forward));
      lifeline?.destroy();
      if (signal) {
        // Ended by a signal: end the same way, as a shell expects (or, for a signal this
        // process ignores, with the shell's code for it).
        process.kill(process.pid, signal);
        resolve(128 + (constants.signals[signal] ?? 0));
        return;
      }
      resolve(code ?? 1);
    });
  });
}
