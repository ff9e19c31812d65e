import type { LintRule } from '../types.js';
import clusteripConflict from './clusterip-conflict.js';
import clusteripOutsideCidr from './clusterip-outside-cidr.js';
import clusterIpNotInSet from './cluster-ip-not-in-set.js';
import danglingJump from './dangling-jump.js';
import drift from './drift.js';
import duplicateRule from './duplicate-rule.js';
import emptyService from './empty-service.js';
import endpointNotReadyOnly from './endpoint-not-ready-only.js';
import externalnameWithPorts from './externalname-with-ports.js';
import hashMismatch from './hash-mismatch.js';
import headlessWithNodeport from './headless-with-nodeport.js';
import ipvsDrift from './ipvs-drift.js';
import ipvsDuplicateRealServer from './ipvs-duplicate-real-server.js';
import ipvsNoRealServers from './ipvs-no-real-servers.js';
import ipvsUnknownScheduler from './ipvs-unknown-scheduler.js';
import ipvsZeroWeight from './ipvs-zero-weight.js';
import masqMarkMismatch from './masq-mark-mismatch.js';
import missingHairpinMasq from './missing-hairpin-masq.js';
import nodeportConflict from './nodeport-conflict.js';
import nodeportRange from './nodeport-range.js';
import nodeportsNotLast from './nodeports-not-last.js';
import numgenMap from './numgen-map.js';
import portNotTargeted from './port-not-targeted.js';
import probabilityCascade from './probability-cascade.js';
import replicasZeroExposed from './replicas-zero-exposed.js';
import selectorMatchesNothing from './selector-matches-nothing.js';
import selectorOtherNamespace from './selector-other-namespace.js';
import selectorlessWithoutEndpoints from './selectorless-without-endpoints.js';
import serviceMapTarget from './service-map-target.js';
import shadowedRule from './shadowed-rule.js';
import staleSep from './stale-sep.js';
import targetportUnresolved from './targetport-unresolved.js';
import trafficPolicyConflict from './traffic-policy-conflict.js';
import unusedChain from './unused-chain.js';

/** Every lint rule, by id (sorted). */
export const RULES: Readonly<Record<string, LintRule>> = {
  'cluster-ip-not-in-set': clusterIpNotInSet,
  'clusterip-conflict': clusteripConflict,
  'clusterip-outside-cidr': clusteripOutsideCidr,
  'dangling-jump': danglingJump,
  'drift': drift,
  'duplicate-rule': duplicateRule,
  'empty-service': emptyService,
  'endpoint-not-ready-only': endpointNotReadyOnly,
  'externalname-with-ports': externalnameWithPorts,
  'hash-mismatch': hashMismatch,
  'headless-with-nodeport': headlessWithNodeport,
  'ipvs-drift': ipvsDrift,
  'ipvs-duplicate-real-server': ipvsDuplicateRealServer,
  'ipvs-no-real-servers': ipvsNoRealServers,
  'ipvs-unknown-scheduler': ipvsUnknownScheduler,
  'ipvs-zero-weight': ipvsZeroWeight,
  'masq-mark-mismatch': masqMarkMismatch,
  'missing-hairpin-masq': missingHairpinMasq,
  'nodeport-conflict': nodeportConflict,
  'nodeport-range': nodeportRange,
  'nodeports-not-last': nodeportsNotLast,
  'numgen-map': numgenMap,
  'port-not-targeted': portNotTargeted,
  'probability-cascade': probabilityCascade,
  'replicas-zero-exposed': replicasZeroExposed,
  'selector-matches-nothing': selectorMatchesNothing,
  'selector-other-namespace': selectorOtherNamespace,
  'selectorless-without-endpoints': selectorlessWithoutEndpoints,
  'service-map-target': serviceMapTarget,
  'shadowed-rule': shadowedRule,
  'stale-sep': staleSep,
  'targetport-unresolved': targetportUnresolved,
  'traffic-policy-conflict': trafficPolicyConflict,
  'unused-chain': unusedChain,
};

export const ALL_RULES: readonly LintRule[] = Object.values(RULES);

export function ruleById(id: string): LintRule | undefined {
  return Object.prototype.hasOwnProperty.call(RULES, id) ? RULES[id] : undefined;
}
