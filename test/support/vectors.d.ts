/**
 * The conformance vectors: kube-proxy's own test cases as data, kept in test/conformance/
 * (refreshed from the shared vectors by `scripts/refresh-conformance.mjs`).
 */
export declare const CONFORMANCE: string;
export interface Vector {
    name: string;
    dir: string;
    input: string;
    /** expected.<ext> files: ext → path. */
    expected: Record<string, string>;
    flags: string[];
}
export declare function vectors(mode: string): Vector[];
