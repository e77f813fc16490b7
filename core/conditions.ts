/**
 * Conditions in the Flux/kstatus shape. `lastTransitionTime` only moves when `status` changes,
 * so clients can tell how long a cluster has been in its current state.
 */
export type ConditionType = "Ready" | "Reconciling" | "Stalled" | "Healthy" | "Drifted" | (string & {});
export type ConditionStatus = "True" | "False" | "Unknown";

import type { ConditionReason } from "./reasons";

/** A condition as stored and read back: its reason may be one an older or newer version wrote. */
export interface Condition {
  type: ConditionType;
  status: ConditionStatus;
  reason: string;
  message: string;
  lastTransitionTime: string;
}

/** A condition as a writer sets it: the reason comes from the closed set. */
export interface ConditionChange {
  type: ConditionType;
  status: ConditionStatus;
  reason: ConditionReason;
  message: string;
}

export function setCondition(conditions: Condition[], next: ConditionChange, now: number): Condition[] {
  const existing = conditions.find((c) => c.type === next.type);
  const lastTransitionTime =
    existing && existing.status === next.status ? existing.lastTransitionTime : new Date(now).toISOString();
  const updated: Condition = { ...next, lastTransitionTime };
  return existing ? conditions.map((c) => (c.type === next.type ? updated : c)) : [...conditions, updated];
}

export function removeCondition(conditions: Condition[], type: ConditionType): Condition[] {
  return conditions.filter((c) => c.type !== type);
}

export function getCondition(conditions: Condition[] | undefined, type: ConditionType): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
