import { readTextFile } from '../read-text-file.js';

/**
 * What a command needs from the outside world. The real CLI passes the process's streams; tests
 * pass buffers, so every command can be exercised in-process.
 */
export interface CliContext {
  /** Writes to standard output: text, or the UTF-8 bytes of a large output. */
  stdout(text: string | Uint8Array): void;
  stderr(text: string): void;
  /** Reads all of standard input (for `-`). */
  readStdin(): string;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal (colours). */
  isTTY: boolean;
  /** Set by commands; the process exits with it. */
  exitCode: number;
}

export function processContext(): CliContext {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: () => readTextFile(0),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    exitCode: 0,
  };
}

/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  /** Findings (lint errors, a diff, a golden mismatch, `fmt --check` on a non-canonical file). */
  findings: 1,
  /** Usage errors and invalid input. */
  usage: 2,
} as const;
