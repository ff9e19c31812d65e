/**
 * Workload manifests for rule tests, in block style so that every field has its own line:
 * `deploymentYaml('web', {app: 'web'})` is a Deployment `shop/web` whose pods have those labels.
 */
export function deploymentYaml(
  name: string,
  labels: Record<string, string>,
  options: { namespace?: string; replicas?: number; ports?: string[] } = {},
): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${options.namespace ?? 'shop'}`,
    'spec:',
    ...(options.replicas !== undefined ? [`  replicas: ${options.replicas}`] : []),
    '  template:',
    '    metadata:',
    `      labels: {${Object.entries(labels)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')}}`,
    '    spec:',
    '      containers:',
    '      - name: main',
    ...(options.ports && options.ports.length > 0 ? ['        ports:', ...options.ports.map((p) => `        - ${p}`)] : []),
    '',
  ].join('\n');
}
