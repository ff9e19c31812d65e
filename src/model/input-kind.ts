/**
 * Whether an input is Kubernetes manifests (YAML or JSON objects) or a dump of rules. Dumps
 * start with `*table`, `:CHAIN`, `-A`, `Chain X (policy …)`, `IP Virtual Server…`, `create`/`add`
 * or `Name:` lines; manifests with `{`, `[`, `---` or a top-level key such as `apiVersion:`.
 */
export function detectInputKind(text: string): 'manifests' | 'dump' {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let seen = 0;
  while (start < text.length && seen < 200) {
    const nl = text.indexOf('\n', start);
    const line = text.slice(start, nl < 0 ? text.length : nl).trim();
    start = nl < 0 ? text.length : nl + 1;
    if (line === '' || line.startsWith('#')) continue;
    seen++;
    if (/^(\{|\[|---|\.\.\.$)/.test(line)) return 'manifests';
    if (/^(- )?(apiVersion|kind|metadata|items|spec|status|data)\s*:/.test(line)) return 'manifests';
    return 'dump';
  }
  return 'dump';
}
