import { main } from '../../src/cli/main.js';
import type { CliContext } from '../../src/cli/context.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `rulec ARGS…` in-process with captured streams. */
export async function runCli(args: string[], stdin = ''): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    stdout: (t) => {
      stdout += typeof t === 'string' ? t : Buffer.from(t).toString('utf8');
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: () => stdin,
    cwd: process.cwd(),
    env: { NO_COLOR: '1' },
    isTTY: false,
    exitCode: 0,
  };
  const code = await main(['node', 'rulec', ...args], ctx);
  return { code, stdout, stderr };
}
