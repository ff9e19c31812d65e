/**
 * The input carried in a link: `#input=` and the base64url of its UTF-8 text, or `#input=z:` and
 * the base64url of its raw DEFLATE (the browser's CompressionStream 'deflate-raw', zlib's
 * deflateRawSync), so that a link to a question carries its paste.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

async function throughStream(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const piped = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(piped).arrayBuffer());
}

/** The fragment (with its `#`) for `text`; compressed when `compress` and the browser can. */
export async function inputFragment(text: string, compress: boolean): Promise<string> {
  const bytes = encoder.encode(text);
  if (compress && typeof CompressionStream === 'function') {
    return `#input=z:${toBase64Url(await throughStream(bytes, new CompressionStream('deflate-raw')))}`;
  }
  return `#input=${toBase64Url(bytes)}`;
}

/** What a fragment's `input=` holds, or undefined when it has none; throws on one it cannot read. */
export function fragmentInput(hash: string): string | Promise<string> | undefined {
  const m = /^#?(?:.*&)?input=([^&]*)/.exec(hash);
  if (!m) return undefined;
  const value = m[1] ?? '';
  if (value.startsWith('z:')) {
    return throughStream(fromBase64Url(value.slice(2)), new DecompressionStream('deflate-raw')).then((b) => decoder.decode(b));
  }
  return decoder.decode(fromBase64Url(value));
}
