import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository, its built program, and Debian's Chromium (`.ci/run` installs it). */
export const root = resolve(import.meta.dirname, '../..');
export const bin = join(root, 'bin', 'rulec.js');
export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserSkipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no ${CHROMIUM} (Debian's chromium package; .ci/run installs it)`;
  if (!existsSync(join(root, 'dist', 'playground', 'index.html'))) return 'the playground is not built (npm run build)';
  return undefined;
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `rulec playground --port 0` (the built program) and waits for the address it serves. */
export function startServer(): Promise<RunningServer> {
  const child = spawn(process.execPath, [bin, 'playground', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((done, fail) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`rulec playground did not start: ${out}${err}`)), 20_000);
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (!m?.[1]) return;
      clearTimeout(timer);
      done({
        url: m[1],
        child,
        stop: () =>
          new Promise<void>((stopped) => {
            if (child.exitCode !== null) return stopped();
            child.once('exit', () => stopped());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`rulec playground exited with ${code}: ${out}${err}`));
    });
  });
}

/** `#input=` and the base64url of the text's UTF-8. */
export function plainFragment(text: string): string {
  return `#input=${Buffer.from(text, 'utf8').toString('base64url')}`;
}
