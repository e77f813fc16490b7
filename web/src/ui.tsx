import type { Cluster } from "../../sdk";

type Condition = Cluster["status"]["conditions"][number];

export function conditionOf(item: { status: { conditions: Condition[] } }, type: string): Condition | undefined {
  return item.status.conditions.find((c) => c.type === type);
}

const GOOD = new Set(["Ready", "Provisioned", "True", "Succeeded", "Healthy", "Synced"]);
const BAD = new Set(["Failed", "False", "Degraded", "Modified", "OutOfSync", "Unknown", "TimeOut"]);

/** A state as a word with a colour that repeats its meaning (the word carries it, not the colour). */
export function Pill({ value, good }: { value: string; good?: boolean }) {
  const tone =
    good !== undefined ? (good ? "good" : "bad") : GOOD.has(value) ? "good" : BAD.has(value) ? "bad" : "neutral";
  return <span class={`pill ${tone}`}>{value}</span>;
}

/** Conditions whose True is the abnormal state (Kubernetes' "abnormal-true" polarity). */
const ABNORMAL_TRUE = new Set(["Stalled", "Drifted", "Reconciling"]);

export function conditionIsGood(c: Condition): boolean {
  return ABNORMAL_TRUE.has(c.type) ? c.status === "False" : c.status === "True";
}
