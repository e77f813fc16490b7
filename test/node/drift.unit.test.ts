import { describe, expect, it } from "vitest";
import { compareObject, formatPath } from "../../core/drift/compare";
import { causeOfManager } from "../../core/drift/explain";
import { nextSlot } from "../../core/drift/schedule";
import { durationMs } from "../../core/drift/spec";

describe("drift comparison", () => {
  const desired = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "c", namespace: "n", labels: { "app.kubernetes.io/managed-by": "fleetplane" } },
    data: { mode: "strict", level: "info" },
  };

  it("finds only fields Fleetplane applies, attributed to the manager that owns them now", () => {
    const live = {
      ...desired,
      metadata: {
        ...desired.metadata,
        uid: "u",
        labels: { "app.kubernetes.io/managed-by": "fleetplane", extra: "x" },
        managedFields: [
          {
            manager: "fleetplane",
            operation: "Apply",
            time: "2026-11-26T10:00:00Z",
            fieldsV1: { "f:data": { "f:level": {} } },
          },
          {
            manager: "kubectl-edit",
            operation: "Update",
            // client-node hands built-in types' times over as Dates.
            time: new Date("2026-11-26T11:00:00Z"),
            fieldsV1: { "f:data": { "f:mode": {} } },
          },
        ],
      },
      data: { mode: "permissive", level: "info", other: "y" },
    };
    expect(compareObject(desired, live)).toEqual([
      {
        path: ".data.mode",
        desired: "strict",
        live: "permissive",
        manager: { name: "kubectl-edit", operation: "Update", time: "2026-11-26T11:00:00.000Z" },
      },
    ]);
  });

  it("tells Fleetplane's own pending change (no other owner) from drift", () => {
    const live = {
      ...desired,
      metadata: {
        ...desired.metadata,
        managedFields: [{ manager: "fleetplane", operation: "Apply", fieldsV1: { "f:data": { "f:mode": {} } } }],
      },
      data: { mode: "old", level: "info" },
    };
    const [difference] = compareObject(desired, live);
    expect(difference).toMatchObject({ path: ".data.mode", manager: undefined });
  });

  it("names paths with keys that are not identifiers in brackets", () => {
    expect(formatPath(["metadata", "labels", "app.kubernetes.io/managed-by"])).toBe(
      '.metadata.labels["app.kubernetes.io/managed-by"]',
    );
  });

  it("reads managers as people, webhooks or other controllers", () => {
    expect(causeOfManager("kubectl-edit")).toBe("ManualEdit");
    expect(causeOfManager("kubectl-client-side-apply")).toBe("ManualEdit");
    expect(causeOfManager("kubectl")).toBe("ManualEdit");
    expect(causeOfManager("kyverno-mutate-webhook")).toBe("AdmissionMutation");
    expect(causeOfManager("helm-controller")).toBe("OwnerConflict");
  });
});

describe("reconcile slots", () => {
  it("land within one interval after now, at a stable per-cluster offset", () => {
    const interval = 300_000;
    const now = Date.UTC(2026, 10, 26, 12, 0, 0);
    const ids = Array.from({ length: 100 }, (_, i) => `cls_${i.toString().padStart(26, "0")}`);
    const slots = ids.map((id) => nextSlot(id, interval, now));
    for (const slot of slots) {
      expect(slot).toBeGreaterThan(now);
      expect(slot).toBeLessThanOrEqual(now + interval);
    }
    ids.forEach((id, i) => {
      expect(nextSlot(id, interval, slots[i]!)).toBe(slots[i]! + interval);
    });
    // Spread: a hundred clusters do not share a handful of seconds.
    expect(new Set(slots.map((s) => Math.floor(s / 1000))).size).toBeGreaterThan(50);
  });

  it("parses Go durations", () => {
    expect(durationMs("1h30m")).toBe(5_400_000);
    expect(durationMs("90s")).toBe(90_000);
    expect(durationMs("soon")).toBeUndefined();
  });
});
