import { describe, expect, it } from 'vitest';
import type { RealServer, VirtualService } from '../../ast/types.js';
import { scheduleShares } from './ipvs-lookup.js';

function service(scheduler: string, realServers: RealServer[]): VirtualService {
  return { protocol: 'tcp', address: '10.96.0.1', port: 443, family: 'ipv4', scheduler, schedulerFlags: [], realServers };
}

describe('scheduleShares', () => {
  it('shares by weight when the weights are known', () => {
    const { choices, notes } = scheduleShares(
      service('wrr', [
        { address: '10.0.0.1', port: 80, forward: 'masq', weight: 3 },
        { address: '10.0.0.2', port: 80, forward: 'masq', weight: 1 },
        { address: '10.0.0.3', port: 80, forward: 'masq', weight: 0 },
      ]),
    );
    expect(choices.map((c) => [c.server.address, c.probability])).toEqual([
      ['10.0.0.1', 0.75],
      ['10.0.0.2', 0.25],
    ]);
    expect(notes).toEqual([{ kind: 'info', message: '1 real server(s) of weight 0 take no new connections' }]);
  });

  it('a listing that shows no weights and no scheduler (--stats): equal shares, and notes that say why', () => {
    const { choices, notes } = scheduleShares(
      service('', [
        { address: '10.0.0.1', port: 80 },
        { address: '10.0.0.2', port: 80 },
      ]),
    );
    expect(choices.map((c) => [c.server.address, c.probability])).toEqual([
      ['10.0.0.1', 0.5],
      ['10.0.0.2', 0.5],
    ]);
    expect(notes).toEqual([
      { kind: 'assumption', message: '2 real server(s) with no weight shown in the listing: taken as live, with equal shares' },
      { kind: 'assumption', message: 'the listing does not show the scheduler: shares are shown as if new connections were spread evenly' },
    ]);
  });
});
