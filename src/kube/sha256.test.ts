import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256 as browserSha256 } from './sha256.browser.js';
import { sha256 } from './sha256.js';

describe('sha256 adapters', () => {
  it('the browser one gives the digest node:crypto gives, for short, long and non-ASCII text', () => {
    for (const text of ['', 'abc', 'default/web:httptcp', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64), 'ns/服务:端口tcp', 'q'.repeat(1000)]) {
      const want = createHash('sha256').update(text, 'utf8').digest('hex');
      expect(Buffer.from(browserSha256(text)).toString('hex')).toBe(want);
      expect(Buffer.from(sha256(text)).toString('hex')).toBe(want);
    }
  });
});
