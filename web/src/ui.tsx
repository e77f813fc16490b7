import type { Cluster } from "../../sdk";

type Condition = Cluster["status"]["conditions"][number];

export function conditionOf(item: { status: { conditions: Condition[] } }, type: string): Condition | undefined {
  return item.status.conditions.find((c) => c.type === type);
}

const GOOD = new Set(["Ready", "Provisioned", "True", "Succeeded", "Healthy", "Synced"]);
const BAD = new Set(["Failed", "False", "Degraded", "Modified", "OutOfSync", "Unknown", "TimeOut"]);

/** A state as a word with a colour that repeats its meaning (the word carries it, not the colour). */
export function Pill({ value }: { value: string }) {
  const tone = GOOD.has(value) ? "good" : BAD.has(value) ? "bad" : "neutral";
  return <span class={`pill ${tone}`}>{value}</span>;
}
