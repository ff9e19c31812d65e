import { describe, expect, it } from 'vitest';
import { quoteToken, displayName, dotString, escapeControls, escapeControlsKeepingLines, escapeJsonText, mermaidLabel, quote, shorten, shortenMessage, shortenTokens, trimTrailingSpaces } from './display-text.js';

describe('escapeControls', () => {
  it('escapes C0, DEL, C1, separators, bidi controls and lone surrogates in JSON form', () => {
    expect(escapeControls('a\nb\r\t\u0000\u0007\u001b[31m\u007f\u0085\u009b')).toBe('a\\nb\\r\\t\\u0000\\u0007\\u001b[31m\\u007f\\u0085\\u009b');
    expect(escapeControls('\u2028\u2029\u202a\u202e\u2066\u2069')).toBe('\\u2028\\u2029\\u202a\\u202e\\u2066\\u2069');
    expect(escapeControls('x\ud800y\udc00')).toBe('x\\ud800y\\udc00');
  });
  it('leaves other text alone, pairs of surrogates and non-ASCII letters too', () => {
    const s = 'KUBE-SVC-ABC ns/web:http 10.0.0.1 ✖ 表 😀 "q" \\ %';
    expect(escapeControls(s)).toBe(s);
  });
  it('keeps newlines when asked', () => {
    expect(escapeControlsKeepingLines('a\nb\u001b\r\n')).toBe('a\nb\\u001b\\r\n');
  });
  it('keeps JSON text valid and equal', () => {
    const value = { s: 'a\u0085\u202e\u2028\u001b' };
    const text = escapeJsonText(JSON.stringify(value));
    expect(text).toBe('{"s":"a\\u0085\\u202e\\u2028\\u001b"}');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('quote and displayName', () => {
  it('quote is JSON with every unsafe character escaped', () => {
    expect(quote('bad\nname\u202e')).toBe('"bad\\nname\\u202e"');
  });
  it('quoteToken keeps the note outside the quotes', () => {
    expect(quoteToken('v2')).toBe('"v2"');
    expect(quoteToken('y'.repeat(90))).toBe(`"${'y'.repeat(79)}…" (90 characters)`);
  });
  it('plain names stay bare, others are quoted', () => {
    expect(displayName('web-1')).toBe('web-1');
    expect(displayName('kube-system/kube-dns')).toBe('kube-system/kube-dns');
    expect(displayName('a b')).toBe('"a b"');
    expect(displayName('')).toBe('""');
    expect(displayName('x'.repeat(100))).toBe(`${'x'.repeat(79)}… (100 characters)`);
    expect(displayName(`a\n${'x'.repeat(100)}`)).toBe(`"a\\n${'x'.repeat(77)}…" (102 characters)`);
  });
});

describe('shorten', () => {
  it('leaves tokens of 80 characters alone and cuts longer ones with their length', () => {
    expect(shorten('x'.repeat(80))).toBe('x'.repeat(80));
    expect(shorten('x'.repeat(81))).toBe(`${'x'.repeat(79)}… (81 characters)`);
  });
  it('does not split a surrogate pair', () => {
    const s = `${'x'.repeat(78)}😀${'y'.repeat(10)}`;
    expect(shorten(s)).toBe(`${'x'.repeat(78)}… (${s.length} characters)`);
  });
  it('shortenTokens cuts only long words', () => {
    const text = `scheduler "${'z'.repeat(200)}" is unknown`;
    expect(shortenTokens(text)).toBe(`scheduler "${'z'.repeat(78)}… (202 characters) is unknown`);
    expect(shortenTokens('a '.repeat(100))).toBe('a '.repeat(100));
  });
});

describe('trimTrailingSpaces', () => {
  it('trims spaces only, in linear time', () => {
    expect(trimTrailingSpaces('a b  ')).toBe('a b');
    expect(trimTrailingSpaces('a\t ')).toBe('a\t');
    const long = `x${' '.repeat(2_000_000)}y${' '.repeat(2_000_000)}`;
    const started = performance.now();
    expect(trimTrailingSpaces(long)).toHaveLength(2_000_002);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('graph labels', () => {
  it('Mermaid: entities for markup, # and %%', () => {
    expect(mermaidLabel('a"b<c>|d#e&f`g\\h')).toBe('a#quot;b#lt;c#gt;#124;d#35;e#38;f#96;g#92;h');
    expect(mermaidLabel('%%{init: {"theme":"dark"}}%%')).toBe('#37;%{init: {#quot;theme#quot;:#quot;dark#quot;}}#37;%');
    expect(mermaidLabel('50%')).toBe('50%');
    expect(mermaidLabel('a\nb')).toBe('a#92;nb');
  });
  it('DOT: quotes, backslashes, newlines and controls', () => {
    expect(dotString('a"b\\c\nd\u001b')).toBe('"a\\"b\\\\c\\nd\\\\u001b"');
  });
});

describe('shortenMessage', () => {
  it('cuts a message that stays long once its tokens are short', () => {
    const message = `bad column header: unexpected "${' '.repeat(5000)}x"`;
    const short = shortenMessage(message);
    expect(short.length).toBeLessThan(640);
    expect(short.endsWith(`… (${message.length} characters)`)).toBe(true);
    expect(shortenMessage('line 3: bad counter "12X"')).toBe('line 3: bad counter "12X"');
  });
});
