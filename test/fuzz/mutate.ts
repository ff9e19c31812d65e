import type { Random } from './random.js';

/**
 * Mutations of a seed text, of the kinds that broke readers before: flipped and inserted
 * characters, words of the format put where they do not belong, cut and repeated spans, lines
 * from another seed, deep nesting, very long tokens, control and Unicode characters, odd numbers
 * and addresses.
 */

/** Characters a mutation may drop in: syntax of every format, quotes, white space, controls. */
const ALPHABET = [
  ...'{}[]()<>:,;"\'`\\/|!#$%&*+-=?@^_~.0123456789abcxyzABCXYZ',
  ' ', '\t', '\n', '\r', '\r\n', '\0', '\x1b', '\x07', '\x7f', '\u0085', '\u00a0', '\u2028', '\u2029',
  '\u202e', '\ufeff', '\ud800', '\udfff', 'é', '语', '😀',
];

/** Numbers that sit on a boundary somewhere. */
const NUMBERS = [
  '0', '-0', '-1', '1', '65535', '65536', '32767', '32768', '30000', '2147483647', '2147483648',
  '4294967295', '4294967296', '9007199254740993', '1e400', '1.5', '0x10', '010', '1_000', 'NaN', '.5',
];

/** Addresses that are easy to read as another family or another address. */
const ADDRESSES = [
  '::169.254.169.254', '::ffff:10.0.0.1', '::1', '::', '0.0.0.0', '255.255.255.255', '10.0.0.1/8',
  '10.1', '010.0.0.1', '0x7f.0.0.1', '1.2.3.4.5', 'fe80::1%eth0', '2001:db8::/129', '[::1]',
  '10.0.0.0/33', '::ffff:0:0/96', '1:2:3:4:5:6:7:8:9', '224.0.0.1',
];

/** Words of a format, put in where another word was, so mutations reach deep into the grammar. */
export type Dictionary = readonly string[];

type Mutation = (text: string, rng: Random, dict: Dictionary, others: readonly string[]) => string;

function position(text: string, rng: Random): number {
  return rng.below(text.length + 1);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** A size that is usually small and now and then very large. */
function size(rng: Random): number {
  if (rng.chance(0.003)) return 1 + rng.below(200_000);
  if (rng.chance(0.03)) return 1 + rng.below(5_000);
  return 1 + rng.below(40);
}

const flip: Mutation = (text, rng) => {
  const at = rng.below(text.length);
  return text.slice(0, at) + rng.pick(ALPHABET) + text.slice(at + 1);
};

const insertChar: Mutation = (text, rng) => {
  const at = position(text, rng);
  return text.slice(0, at) + rng.pick(ALPHABET) + text.slice(at);
};

const insertWord: Mutation = (text, rng, dict) => {
  const at = position(text, rng);
  const word = dict.length > 0 && rng.chance(0.7) ? rng.pick(dict) : rng.pick(NUMBERS);
  return text.slice(0, at) + word + text.slice(at);
};

/** Replaces the word under a random position with a word of the format, a number or an address. */
const replaceWord: Mutation = (text, rng, dict) => {
  const at = rng.below(text.length);
  let start = at;
  let end = at;
  while (start > 0 && /[\w.:/-]/.test(text[start - 1] ?? '')) start--;
  while (end < text.length && /[\w.:/-]/.test(text[end] ?? '')) end++;
  const choice = rng.below(3);
  const word = choice === 0 && dict.length > 0 ? rng.pick(dict) : choice === 1 ? rng.pick(NUMBERS) : rng.pick(ADDRESSES);
  return text.slice(0, start) + word + text.slice(end);
};

const deleteSpan: Mutation = (text, rng) => {
  const at = rng.below(text.length);
  return text.slice(0, at) + text.slice(Math.min(text.length, at + size(rng)));
};

const repeatSpan: Mutation = (text, rng) => {
  const at = rng.below(text.length);
  const span = text.slice(at, at + 1 + rng.below(80));
  const times = Math.min(size(rng), Math.floor(2_000_000 / Math.max(1, span.length)));
  return text.slice(0, at) + span.repeat(times) + text.slice(at);
};

const repeatLine: Mutation = (text, rng) => {
  const starts = lineStarts(text);
  const i = rng.below(starts.length);
  const start = starts[i] ?? 0;
  const end = starts[i + 1] ?? text.length;
  const line = text.slice(start, end);
  const times = Math.min(size(rng), Math.floor(2_000_000 / Math.max(1, line.length)));
  return text.slice(0, end) + (line.endsWith('\n') ? line : `\n${line}`).repeat(times) + text.slice(end);
};

const swapLines: Mutation = (text, rng) => {
  const lines = text.split('\n');
  const a = rng.below(lines.length);
  const b = rng.below(lines.length);
  const la = lines[a] ?? '';
  lines[a] = lines[b] ?? '';
  lines[b] = la;
  return lines.join('\n');
};

const spliceOther: Mutation = (text, rng, _dict, others) => {
  if (others.length === 0) return text;
  const other = rng.pick(others);
  const starts = lineStarts(other);
  const from = starts[rng.below(starts.length)] ?? 0;
  const piece = other.slice(from, from + 1 + rng.below(400));
  const at = lineStarts(text);
  const where = at[rng.below(at.length)] ?? 0;
  return text.slice(0, where) + piece + text.slice(where);
};

const truncate: Mutation = (text, rng) => text.slice(0, rng.below(text.length + 1));

const nest: Mutation = (text, rng) => {
  const depth = rng.chance(0.3) ? 5_000 + rng.below(20_000) : 1 + rng.below(300);
  const at = position(text, rng);
  const kind = rng.below(5);
  const opening = kind === 0 ? '[' : kind === 1 ? '{"a":' : kind === 2 ? '- ' : kind === 3 ? '{a: ' : '(';
  const body = kind === 2 ? Array.from({ length: Math.min(depth, 2_000) }, (_, i) => `${' '.repeat(i * 2)}- `).join('\n') : opening.repeat(depth);
  return text.slice(0, at) + body + text.slice(at);
};

const longToken: Mutation = (text, rng) => {
  const at = position(text, rng);
  const unit = rng.pick(['a', '"', '\\', 'x ', '-', '0', '\u00a0', '%']);
  return text.slice(0, at) + unit.repeat(size(rng) * (rng.chance(0.1) ? 40 : 1)) + text.slice(at);
};

const lineEnds: Mutation = (text, rng) => {
  const choice = rng.below(3);
  if (choice === 0) return text.replace(/\n/g, '\r\n');
  if (choice === 1) return text.replace(/ /g, '\u00a0');
  return text.replace(/\n/g, '\n\t');
};

const MUTATIONS: readonly Mutation[] = [
  flip, flip, insertChar, insertWord, replaceWord, replaceWord, replaceWord, deleteSpan, repeatSpan,
  repeatLine, swapLines, spliceOther, spliceOther, truncate, nest, longToken, lineEnds,
];

/** One to four mutations of a seed. */
export function mutate(seed: string, rng: Random, dict: Dictionary, others: readonly string[]): string {
  let text = seed;
  const rounds = 1 + rng.below(4);
  for (let i = 0; i < rounds; i++) {
    const next = rng.pick(MUTATIONS)(text, rng, dict, others);
    // Keep a case within a few megabytes, so one case is one input, not a load test.
    if (next.length <= 4_000_000) text = next;
  }
  return text;
}
