import type { ConditionChange } from "../../core/conditions";
import { external } from "../../core/errors";

export type FluxReady = ConditionChange;

interface KustomizationState {
  metadata?: { generation?: number };
  status?: {
    observedGeneration?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

export function fluxReadyOf(live: KustomizationState | undefined, path: string): FluxReady {
  const ready = live?.status?.conditions?.find((c) => c.type === "Ready");
  const observed = live?.status?.observedGeneration;
  const generation = live?.metadata?.generation;
  // A Ready condition about an older generation says nothing about what we just applied.
  if (!ready || (generation !== undefined && observed !== undefined && observed < generation)) {
    return {
      type: "FluxReady",
      status: "Unknown",
      reason: "Progressing",
      message: `Waiting for Flux to reconcile ${path}`,
    };
  }
  const status = ready.status === "True" ? "True" : ready.status === "False" ? "False" : "Unknown";
  return {
    type: "FluxReady",
    status,
    // Flux's own reason (ReconciliationSucceeded, BuildFailed, …) is what its documentation explains.
    reason: ready.reason
      ? external(ready.reason)
      : status === "True"
        ? external("ReconciliationSucceeded")
        : "Progressing",
    message: ready.message ?? "",
  };
}
