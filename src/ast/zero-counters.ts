import type { Counters } from './types.js';

/**
 * `[0:0]`, shared by every chain and rule without counters of their own: a large rule set has a
 * hundred thousand chains, and counters are replaced, never changed in place (it is frozen).
 */
export const ZERO_COUNTERS: Counters = Object.freeze({ packets: 0, bytes: 0 });
