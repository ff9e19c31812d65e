import { YES, type MatchEvaluator } from '../match-context.js';

/** `-m comment`: a label, always matches. */
export const commentMatch: MatchEvaluator = () => YES;

/** `-m nfacct --nfacct-name NAME`: counts the packet, always matches. */
export const nfacctMatch: MatchEvaluator = () => YES;
