/**
 * Reading Argo CD's verdict on one cluster. A cluster is done only when Argo CD has compared
 * the *rollout's* source (not an older one still cached) and says `Synced` and `Healthy`;
 * `Degraded`, or a sync operation that failed on this source, is a failure.
 */

export interface ArgoVerdict {
  state: "Progressing" | "Succeeded" | "Failed";
  health: string;
  sync: string;
  message: string;
}

interface LiveApplication {
  status?: {
    sync?: { status?: string; revision?: string; comparedTo?: { source?: Record<string, unknown> } };
    health?: { status?: string; message?: string };
    operationState?: {
      phase?: string;
      message?: string;
      syncResult?: { source?: Record<string, unknown> };
    };
  };
}

/** Stable JSON (sorted keys), so two sources compare equal however their keys were ordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function sameSource(a: unknown, b: unknown): boolean {
  return a !== undefined && b !== undefined && canonical(a) === canonical(b);
}

export function judgeArgoApplication(live: LiveApplication | undefined, desiredSource: unknown): ArgoVerdict {
  const status = live?.status ?? {};
  const sync = status.sync?.status ?? "Unknown";
  const health = status.health?.status ?? "Unknown";
  const revision = (desiredSource as { targetRevision?: string }).targetRevision;
  const operation = status.operationState;
  if (
    operation &&
    (operation.phase === "Failed" || operation.phase === "Error") &&
    sameSource(operation.syncResult?.source, desiredSource)
  ) {
    return { state: "Failed", health, sync, message: `sync ${operation.phase}: ${operation.message ?? "no message"}` };
  }
  if (!sameSource(status.sync?.comparedTo?.source, desiredSource)) {
    return { state: "Progressing", health, sync, message: `waiting for Argo CD to compare revision ${revision}` };
  }
  if (health === "Degraded") {
    return {
      state: "Failed",
      health,
      sync,
      message: `Degraded at ${revision}: ${status.health?.message ?? "no message"}`,
    };
  }
  if (sync === "Synced" && health === "Healthy") {
    return { state: "Succeeded", health, sync, message: `Synced and Healthy at ${revision}` };
  }
  return { state: "Progressing", health, sync, message: `${sync}, ${health} at ${revision}` };
}
