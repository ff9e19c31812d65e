import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTextFile } from './read-text-file.js';

describe('readTextFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rulec-read-'));
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
