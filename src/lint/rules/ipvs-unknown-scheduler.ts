import { nodeAt } from '../positions.js';
import { lossiness } from '../kube/rule-set-index.js';
import { describeVirtualService } from '../kube/ipvs-names.js';
import { docsUrl, ipvsRule } from '../types.js';

/** The schedulers of the Linux IPVS code (`ip_vs_*.c`) that ipvsadm can name. */
const IPVS_SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos'];

/**
 * A virtual service whose scheduler is none of the kernel's: `ipvsadm -R` fails on it unless a
 * module of that name is installed, and a kube-proxy configured with it (`ipvs.scheduler`)
 * cannot create any service. A warning, because out-of-tree schedulers exist. Listings that do
 * not show schedulers (`--stats`, `--rate`) are not judged: the rule says so once.
 */
export default ipvsRule({
  meta: {
    id: 'ipvs-unknown-scheduler',
    severity: 'warning',
    target: 'ipvs',
    docs: {
      description: 'An IPVS virtual service uses a scheduler the kernel does not have.',
      url: docsUrl('ipvs-unknown-scheduler'),
    },
    messages: {
      unknown: 'virtual service {{service}} uses scheduler "{{scheduler}}", which Linux IPVS does not have (known: {{known}})',
    },
  },
  check(context) {
    const lossy = lossiness(context.ruleSet);
    for (const vs of context.ruleSet.services) {
      if (IPVS_SCHEDULERS.includes(vs.scheduler)) continue;
      // No scheduler: the listing does not print it (`--stats`, `--rate`, a cut line).
      if (vs.scheduler === '') {
        context.notJudged(lossy ?? 'the listing does not show schedulers (ipvsadm --stats or --rate)', nodeAt(vs, context.file));
        continue;
      }
      context.report({
        messageId: 'unknown',
        data: { service: describeVirtualService(vs), scheduler: vs.scheduler, known: IPVS_SCHEDULERS.join(', ') },
        at: nodeAt(vs, context.file),
      });
    }
  },
});
