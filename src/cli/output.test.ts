import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, constants as fsConstants, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/run-cli.js';
import type { CliContext } from './context.js';
import { wideService } from '../../test/support/wide-service.js';
import { emitChunks, isSpecialFile, writeFileAtomic } from './output.js';
import { createTemporaryFile, discardTemporaryFile, openExclusive, TEMPORARY_FILE_FLAGS, temporaryName } from './temporary-files.js';

function context(): CliContext & { out: Buffer[]; err: string[] } {
  const out: Buffer[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(Buffer.from(t)),
    stderr: (t) => err.push(t),
    readStdin: () => '',
    cwd: process.cwd(),
    env: {},
    isTTY: false,
    exitCode: 0,
  };
}

const CHUNKS = ['*nat\n', ':KUBE-SERVICES - [0:0]\n'.repeat(1000), 'COMMIT\n'].map((s) => Buffer.from(s));

describe('emitChunks', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rulec-output-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the chunks to -o in order, with no temporary file left', async () => {
    const ctx = context();
    const file = join(dir, 'out.iptables');
    expect(await emitChunks(ctx, file, CHUNKS)).toBe(true);
    expect(readFileSync(file).equals(Buffer.concat(CHUNKS))).toBe(true);
    expect(readdirSync(dir)).toEqual(['out.iptables']);
    expect(ctx.out).toEqual([]);
  });

  it('reads each chunk while it is handed over, so the producer may fill the same buffer again', async () => {
    /** Hands over every chunk in one buffer, overwritten once the next is asked for. */
    function* reusing(): Generator<Uint8Array> {
      const buffer = Buffer.alloc(Math.max(...CHUNKS.map((c) => c.length)));
      for (const chunk of CHUNKS) {
        chunk.copy(buffer);
        yield buffer.subarray(0, chunk.length);
        buffer.fill('#');
      }
    }
    const expected = Buffer.concat(CHUNKS).toString();
    const file = join(dir, 'out.iptables');
    expect(await emitChunks(context(), file, reusing())).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(expected);
    const ctx = context();
    expect(await emitChunks(ctx, '-', reusing())).toBe(true);
    expect(Buffer.concat(ctx.out).toString()).toBe(expected);
    const viaFifo = await throughFifo((fifo) => emitChunks(context(), fifo, reusing()));
    expect(viaFifo.read).toBe(expected);
  });

  it('replaces an existing file only when all is written', async () => {
    const file = join(dir, 'out.iptables');
    await emitChunks(context(), file, [Buffer.from('old\n')]);
    await expect(
      emitChunks(
        context(),
        file,
        (function* () {
          yield Buffer.from('new\n');
          throw new Error('boom');
        })(),
      ),
    ).rejects.toThrow('boom');
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['out.iptables']);
  });

  it('writes through a symbolic link, which stays a link', async () => {
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'golden.iptables'), 'old\n');
    const link = join(dir, 'golden.iptables');
    symlinkSync(join('real', 'golden.iptables'), link);
    expect(await emitChunks(context(), link, CHUNKS)).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'golden.iptables')).equals(Buffer.concat(CHUNKS))).toBe(true);
    writeFileAtomic(link, 'COMMIT\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'golden.iptables'), 'utf8')).toBe('COMMIT\n');
    expect(readdirSync(join(dir, 'real'))).toEqual(['golden.iptables']);
  });

  it('says why it cannot write, and writes nothing', async () => {
    const ctx = context();
    const file = join(dir, 'missing', 'out.iptables');
    expect(await emitChunks(ctx, file, CHUNKS)).toBe(false);
    expect(ctx.err).toEqual([`rulec: cannot write ${file}: ENOENT\n`]);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  /** What a reader of a new FIFO in `dir` gets while `write` writes to it, and whether it is still a FIFO. */
  async function throughFifo(write: (path: string) => unknown): Promise<{ read: string; stillFifo: boolean }> {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let read = '';
    reader.stdout.on('data', (d: Buffer) => (read += d.toString()));
    const done = new Promise((resolve) => reader.on('close', resolve));
    await write(fifo);
    const stillFifo = lstatSync(fifo).isFIFO();
    // A reader of a FIFO that a file replaced would wait for a writer for ever.
    if (!stillFifo) reader.kill();
    await done;
    return { read, stillFifo };
  }

  it('writes into a FIFO or a device in place instead of renaming a file over it', async () => {
    const ctx = context();
    const chunked = await throughFifo((fifo) => emitChunks(ctx, fifo, CHUNKS));
    expect(chunked).toEqual({ read: Buffer.concat(CHUNKS).toString(), stillFifo: true });
    rmSync(join(dir, 'fifo'));
    const whole = await throughFifo((fifo) => writeFileAtomic(fifo, 'COMMIT\n'));
    expect(whole).toEqual({ read: 'COMMIT\n', stillFifo: true });
    expect(readdirSync(dir)).toEqual(['fifo']);
    expect(ctx.err).toEqual([]);
  });

  it('tells devices, FIFOs and what lies under /dev or /proc from files and directories', () => {
    const file = join(dir, 'out.iptables');
    writeFileSync(file, '');
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const paths = ['/dev/null', '/dev/stdout', '/proc/self/fd/1', join(dir, 'fifo'), file, dir, join(dir, 'missing')];
    expect(paths.map(isSpecialFile)).toEqual([true, true, true, true, false, false, false]);
  });

  it('prints to stdout only once everything is made', async () => {
    const ctx = context();
    expect(await emitChunks(ctx, undefined, CHUNKS)).toBe(true);
    expect(Buffer.concat(ctx.out).equals(Buffer.concat(CHUNKS))).toBe(true);
    const failing = context();
    await expect(
      emitChunks(
        failing,
        '-',
        (function* () {
          yield CHUNKS[0] as Buffer;
          throw new Error('boom');
        })(),
      ),
    ).rejects.toThrow('boom');
    expect(failing.out).toEqual([]);
  });
});

describe('rulec compile -o', () => {
  it('writes the same bytes as it prints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-output-'));
    try {
      const file = join(dir, 'out.iptables');
      const written = await runCli(['compile', 'examples/cluster', '--with-hooks', '-o', file]);
      expect(written).toEqual({ code: 0, stdout: '', stderr: '' });
      const printed = await runCli(['compile', 'examples/cluster', '--with-hooks']);
      expect(printed.code).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(printed.stdout);
      expect(printed.stdout).toMatch(/^\*filter\n[^]*\nCOMMIT\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const root = join(import.meta.dirname, '..', '..');
const canMount = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v unshare']).status === 0;

describe.runIf(canMount)('rulec compile -o on a full disk (a small tmpfs in a private mount namespace)', () => {
  it('says the disk is full, exits 2 and leaves neither the file nor a temporary one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-full-'));
    try {
      // The example cluster's 18 KB of rules do not fit in 8 KB.
      const script = 'mount -t tmpfs -o size=8k tmpfs "$1" || exit 9; "$2" bin/rulec.js compile examples/cluster --with-hooks -o "$1/out.iptables"; echo "rc=$?"; ls -A "$1"';
      const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', dir, process.execPath], { cwd: root, encoding: 'utf8' });
      expect(r.stderr).toBe(`rulec: cannot write ${dir}/out.iptables: ENOSPC\n`);
      expect(r.stdout).toBe('rc=2\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});


describe('temporary files of -o', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rulec-output-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('have random names, not the process id', () => {
    const target = join(dir, 'out.iptables');
    const names = new Set(Array.from({ length: 20 }, () => temporaryName(target)));
    expect(names.size).toBe(20);
    for (const name of names) {
      expect(name.startsWith(`${dir}/.out.iptables.`)).toBe(true);
      expect(name.slice(dir.length + 1)).toMatch(/^\.out\.iptables\.[0-9a-f]{24}\.tmp$/);
      expect(name).not.toContain(String(process.pid));
    }
  });

  it('are created exclusively and never through a symbolic link', () => {
    expect(TEMPORARY_FILE_FLAGS & fsConstants.O_EXCL).toBe(fsConstants.O_EXCL);
    expect(TEMPORARY_FILE_FLAGS & fsConstants.O_NOFOLLOW).toBe(fsConstants.O_NOFOLLOW);
    expect(TEMPORARY_FILE_FLAGS & fsConstants.O_CREAT).toBe(fsConstants.O_CREAT);
    const victim = join(dir, 'shadow');
    writeFileSync(victim, 'secret\n', { mode: 0o600 });
    const planted = join(dir, '.out.iptables.planted.tmp');
    symlinkSync(victim, planted);
    expect(() => openExclusive(planted)).toThrow(/EEXIST/);
    // A dangling link too: O_CREAT alone would create the file it points to.
    const dangling = join(dir, '.out.iptables.dangling.tmp');
    symlinkSync(join(dir, 'created-through-link'), dangling);
    expect(() => openExclusive(dangling)).toThrow(/EEXIST/);
    expect(existsSync(join(dir, 'created-through-link'))).toBe(false);
    expect(readFileSync(victim, 'utf8')).toBe('secret\n');
  });

  it('pass over a link planted at the chosen name and write a new file instead', () => {
    const victim = join(dir, 'shadow');
    writeFileSync(victim, 'secret\n', { mode: 0o600 });
    const target = join(dir, 'out.iptables');
    const planted = join(dir, '.out.iptables.guessed.tmp');
    symlinkSync(victim, planted);
    const names = [planted, join(dir, '.out.iptables.second.tmp')];
    const created = createTemporaryFile(target, () => names.shift() as string);
    try {
      expect(created.path).toBe(join(dir, '.out.iptables.second.tmp'));
      expect(lstatSync(created.path).mode & 0o777).toBe(0o600);
    } finally {
      discardTemporaryFile(created.path, created.fd);
    }
    expect(readFileSync(victim, 'utf8')).toBe('secret\n');
    expect(lstatSync(victim).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['.out.iptables.guessed.tmp', 'shadow']);
  });

  it('keep the mode of the file they replace; a new file gets the usual mode', async () => {
    const file = join(dir, 'out.iptables');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o600);
    expect(await emitChunks(context(), file, CHUNKS)).toBe(true);
    expect(statSync(file).mode & 0o7777).toBe(0o600);
    chmodSync(file, 0o640);
    writeFileAtomic(file, 'COMMIT\n');
    expect(statSync(file).mode & 0o7777).toBe(0o640);
    const fresh = join(dir, 'fresh.iptables');
    writeFileAtomic(fresh, 'COMMIT\n');
    expect(statSync(fresh).mode & 0o777).toBe(0o666 & ~process.umask());
  });

  it.runIf(process.geteuid?.() === 0)('keep the owner and group of the file they replace when run by root', async () => {
    const file = join(dir, 'out.iptables');
    writeFileSync(file, 'old\n');
    chownSync(file, 1234, 1235);
    chmodSync(file, 0o600);
    expect(await emitChunks(context(), file, CHUNKS)).toBe(true);
    expect(statSync(file)).toMatchObject({ uid: 1234, gid: 1235 });
    expect(statSync(file).mode & 0o7777).toBe(0o600);
    writeFileAtomic(file, 'COMMIT\n');
    expect(statSync(file)).toMatchObject({ uid: 1234, gid: 1235 });
  });

  it('are removed when a write fails', async () => {
    // The second chunk cannot be written.
    const file = join(dir, 'out.iptables');
    const ctx = context();
    const notBytes = { length: 1 } as unknown as Uint8Array;
    expect(await emitChunks(ctx, file, [Buffer.from('x'), notBytes])).toBe(false);
    expect(ctx.err).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('rulec compile -o and SIGTERM', () => {
  it('leaves no temporary file and ends by the signal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-signal-'));
    try {
      const input = join(dir, 'wide.json');
      // About 30 MB of rules: written in a hundred chunks.
      writeFileSync(input, wideService(200, 500));
      const out = join(dir, 'out.iptables');
      writeFileSync(out, 'old\n');
      const child = spawn(process.execPath, ['bin/rulec.js', 'compile', input, '-o', out], { cwd: root, env: { ...process.env, RULEC_LARGE_PAGES: '0' }, stdio: 'ignore' });
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      let running = true;
      void ended.then(() => (running = false));
      // Signalled as soon as the temporary file appears, while the rules are being written.
      let sawTemporary = false;
      while (running && !sawTemporary) {
        sawTemporary = readdirSync(dir).some((n) => n.endsWith('.tmp'));
        if (!sawTemporary) await new Promise((r) => setTimeout(r, 2));
      }
      child.kill('SIGTERM');
      const end = await ended;
      expect(sawTemporary).toBe(true);
      expect(end).toEqual({ code: null, signal: 'SIGTERM' });
      expect(readdirSync(dir).sort()).toEqual(['out.iptables', 'wide.json']);
      expect(readFileSync(out, 'utf8')).toBe('old\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
