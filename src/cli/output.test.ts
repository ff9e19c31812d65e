import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/run-cli.js';
import type { CliContext } from './context.js';
import { emitChunks, isSpecialFile, writeFileAtomic } from './output.js';

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
    expect(await emitChunks(ctx, file, (sink) => CHUNKS.forEach(sink))).toBe(true);
    expect(readFileSync(file).equals(Buffer.concat(CHUNKS))).toBe(true);
    expect(readdirSync(dir)).toEqual(['out.iptables']);
    expect(ctx.out).toEqual([]);
  });

  it('reads each chunk while it is handed over, so the producer may fill the same buffer again', async () => {
    /** Hands over every chunk in one buffer, overwritten after each call. */
    const reusing = (sink: (chunk: Uint8Array) => void): void => {
      const buffer = Buffer.alloc(Math.max(...CHUNKS.map((c) => c.length)));
      for (const chunk of CHUNKS) {
        chunk.copy(buffer);
        sink(buffer.subarray(0, chunk.length));
        buffer.fill('#');
      }
    };
    const expected = Buffer.concat(CHUNKS).toString();
    const file = join(dir, 'out.iptables');
    expect(emitChunks(context(), file, reusing)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(expected);
    const ctx = context();
    expect(emitChunks(ctx, '-', reusing)).toBe(true);
    expect(Buffer.concat(ctx.out).toString()).toBe(expected);
    const viaFifo = await throughFifo((fifo) => emitChunks(context(), fifo, reusing));
    expect(viaFifo.read).toBe(expected);
  });

  it('replaces an existing file only when all is written', async () => {
    const file = join(dir, 'out.iptables');
    await emitChunks(context(), file, (sink) => sink(Buffer.from('old\n')));
    expect(() =>
      emitChunks(context(), file, (sink) => {
        sink(Buffer.from('new\n'));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['out.iptables']);
  });

  it('writes through a symbolic link, which stays a link', async () => {
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'golden.iptables'), 'old\n');
    const link = join(dir, 'golden.iptables');
    symlinkSync(join('real', 'golden.iptables'), link);
    expect(await emitChunks(context(), link, (sink) => CHUNKS.forEach(sink))).toBe(true);
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
    expect(await emitChunks(ctx, file, (sink) => CHUNKS.forEach(sink))).toBe(false);
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
    const chunked = await throughFifo((fifo) => emitChunks(ctx, fifo, (sink) => CHUNKS.forEach(sink)));
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
    expect(await emitChunks(ctx, undefined, (sink) => CHUNKS.forEach(sink))).toBe(true);
    expect(Buffer.concat(ctx.out).equals(Buffer.concat(CHUNKS))).toBe(true);
    const failing = context();
    expect(() =>
      emitChunks(failing, '-', (sink) => {
        sink(CHUNKS[0] as Buffer);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(failing.out).toEqual([]);
  });
});

describe('rulec compile -o', () => {
  it('writes the same bytes as it prints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-output-'));
    try {
      const file = join(dir, 'out.iptables');
      const written = await runCli(['compile', 'examples', '--with-hooks', '-o', file]);
      expect(written).toEqual({ code: 0, stdout: '', stderr: '' });
      const printed = await runCli(['compile', 'examples', '--with-hooks']);
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
      const script = 'mount -t tmpfs -o size=8k tmpfs "$1" || exit 9; "$2" bin/rulec.js compile examples --with-hooks -o "$1/out.iptables"; echo "rc=$?"; ls -A "$1"';
      const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', dir, process.execPath], { cwd: root, encoding: 'utf8' });
      expect(r.stderr).toBe(`rulec: cannot write ${dir}/out.iptables: ENOSPC\n`);
      expect(r.stdout).toBe('rc=2\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

