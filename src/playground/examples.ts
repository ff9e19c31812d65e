/**
 * The examples the page offers. The playground's bundle replaces this module's contents with a
 * few of the repository's examples/ (see scripts/bundle-playground.mjs); outside the bundle
 * there are none.
 */
export interface Example {
  name: string;
  text: string;
}

export const EXAMPLES: readonly Example[] = [];
