import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_INPUT_BYTES, endInputRun, formatSize, InputTooLargeError, limitInput, parseSize, readFailure, readTextFile } from './read-text-file.js';

describe('readTextFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rulec-read-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => endInputRun());
  const write = (name: string, bytes: Buffer): string => {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    return file;
  };

  it('reads ASCII text as it is', () => {
    expect(readTextFile(write('a.txt', Buffer.from('*nat\n-A X -j RETURN\n')))).toBe('*nat\n-A X -j RETURN\n');
  });

  it('decodes UTF-8 (comments and names outside ASCII)', () => {
    const text = '-A X -m comment --comment "café ☕" -j RETURN\n';
    expect(readTextFile(write('u.txt', Buffer.from(text, 'utf8')))).toBe(text);
  });

  it('keeps a byte-order mark for the readers to strip', () => {
    expect(readTextFile(write('b.txt', Buffer.from('\ufeffkind: Service\n', 'utf8'))).charCodeAt(0)).toBe(0xfeff);
  });

  it('reads an empty file as empty text', () => {
    expect(readTextFile(write('e.txt', Buffer.alloc(0)))).toBe('');
  });
});

describe('input size limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rulec-limit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => endInputRun());
  const write = (name: string, size: number): string => {
    const file = join(dir, name);
    writeFileSync(file, 'x'.repeat(size));
    return file;
  };

  it('refuses a file over the limit from its size, before reading it', () => {
    // Sparse: reading it would take 4 GiB of memory.
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 4 * 2 ** 30);
    const started = Date.now();
    expect(() => readTextFile(huge)).toThrow(new InputTooLargeError(huge, DEFAULT_MAX_INPUT_BYTES, false));
    expect(Date.now() - started).toBeLessThan(1000);
    limitInput(1024);
    expect(readTextFile(write('fits.yaml', 1024))).toHaveLength(1024);
    limitInput(1024);
    expect(() => readTextFile(write('over.yaml', 1025))).toThrow('input is larger than --max-input-size (1 KiB)');
  });

  it('counts all the inputs of a run together', () => {
    limitInput(1000);
    const a = write('a.yaml', 600);
    expect(readTextFile(a)).toHaveLength(600);
    let caught: unknown;
    try {
      readTextFile(write('b.yaml', 600));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InputTooLargeError);
    expect(readFailure('b.yaml', caught)).toEqual({ file: 'b.yaml', line: 1, column: 1, severity: 'error', code: 'RC003', message: 'inputs together are larger than --max-input-size (1000 bytes)' });
    // Outside a run every input is held to the default on its own.
    endInputRun();
    for (let k = 0; k < 3; k++) expect(readTextFile(a)).toHaveLength(600);
  });

  it('reads sizes as bytes or with binary suffixes', () => {
    expect(parseSize('1024')).toBe(1024);
    expect(parseSize('1K')).toBe(1024);
    expect(parseSize('512M')).toBe(512 * 2 ** 20);
    expect(parseSize('1G')).toBe(2 ** 30);
    expect(parseSize('64KiB')).toBe(64 * 1024);
    expect(parseSize('2gb')).toBe(2 * 2 ** 30);
    expect(parseSize('100B')).toBe(100);
    for (const bad of ['', '0', '-1', '1.5G', '12x', 'G', '1 G B']) expect(parseSize(bad)).toBeUndefined();
    expect([1024, 512 * 2 ** 20, 2 ** 30, 1000].map(formatSize)).toEqual(['1 KiB', '512 MiB', '1 GiB', '1000 bytes']);
  });
});
