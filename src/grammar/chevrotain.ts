import type * as Chevrotain from 'chevrotain';

/**
 * chevrotain, loaded from the single-file build its package ships (`lib/chevrotain.min.mjs`)
 * rather than through its entry point, which pulls in a tree of a few hundred small modules:
 * the same library, loaded in about a tenth of the time, which every `rulec` run pays. Where the
 * file cannot be found (another layout, a test runner that resolves modules itself), the entry
 * point is used. Import values from here and types from 'chevrotain'.
 */
async function load(): Promise<typeof Chevrotain> {
  try {
    const entry = import.meta.resolve('chevrotain');
    return (await import(new URL('../chevrotain.min.mjs', entry).href)) as typeof Chevrotain;
  } catch {
    return import('chevrotain');
  }
}

const chevrotain = await load();

export const { createToken, createTokenInstance, CstParser, EmbeddedActionsParser, EOF, Lexer, tokenMatcher } = chevrotain;
