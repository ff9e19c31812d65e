import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'cluster');
const DUMP = join(import.meta.dirname, '..', '..', 'examples', 'dumps', 'worker-1.iptables-save');
const COMMANDS_WITH_NODE_FLAGS = ['compile', 'check', 'lint', 'trace', 'explain', 'diff', 'graph'];

describe('the node flags', () => {
  it('are declared with the same words by every command that takes them', async () => {
    const lines = new Map<string, Set<string>>();
    for (const command of COMMANDS_WITH_NODE_FLAGS) {
      const r = await runCli([command, '--help']);
      const help = r.stdout.replace(/\n\s{20,}/g, ' ');
      for (const flag of ['--node <name>', '--node-ip <ip>', '--cluster-cidr <cidr>', '--kube-proxy-configmap <namespace/name>']) {
        const line = help.split('\n').find((l) => l.trimStart().startsWith(flag));
        expect(line, `${command} --help lists ${flag}`).toBeDefined();
        const set = lines.get(flag) ?? new Set<string>();
        set.add((line ?? '').trim().replace(/\s+/g, ' '));
        lines.set(flag, set);
      }
    }
    for (const [flag, texts] of lines) expect([...texts], flag).toHaveLength(1);
  });

  it('give one diagnostic for each bad value, in every command', async () => {
    const cases: [string, string[]][] = [
      ['compile', [EXAMPLE]],
      ['trace', [EXAMPLE, '--dst', '10.96.0.10:53', '--proto', 'udp']],
      ['trace', [DUMP, '--dst', '10.96.0.10:53', '--proto', 'udp']],
      ['explain', [DUMP]],
      ['graph', [EXAMPLE]],
      ['diff', [EXAMPLE, DUMP]],
    ];
    for (const [command, args] of cases) {
      const r = await runCli([command, ...args, '--node-ip', '1.2.3', '--cluster-cidr', '10.0.0.0/8,x']);
      expect(r.code, `${command} ${args.join(' ')}`).toBe(2);
      expect(r.stderr.split('\n').filter((l) => l.includes('error')), `${command} ${args.join(' ')}`).toEqual([
        '<flags>:1:1: error RC104: --node-ip "1.2.3" is not an IP address',
        '<flags>:1:1: error RC104: --cluster-cidr "x" is not a CIDR',
      ]);
    }
  });
});
