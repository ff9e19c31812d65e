import type { Plugin } from 'esbuild';

/** The playground bundle's plugin: browser twins, no Node.js built-ins, the embedded examples. */
export function browserPlugin(root: string, examples?: () => string): Plugin;
