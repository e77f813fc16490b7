import { describe, expect, it } from "vitest";
import { UnprocessableError } from "../../core/errors";
import { compileHealthRule, evaluateHealth, healthOf } from "../../core/health/rules";

/**
 * Declarative health rules (CEL over `self`, Flux's healthCheckExprs shape) and the built-in
 * rules for the kinds every fleet runs, on objects as an API server returns them.
 */
const certificate = (ready: "True" | "False" | undefined, extra: Record<string, unknown> = {}) => ({
  apiVersion: "cert-manager.io/v1",
  kind: "Certificate",
  metadata: { name: "web-tls", namespace: "web", generation: 1 },
  spec: { secretName: "web-tls" },
  status: {
    observedGeneration: 1,
    conditions:
      ready === undefined
        ? []
        : [
            {
              type: "Ready",
              status: ready,
              reason: ready === "True" ? "Ready" : "Failed",
              message:
                ready === "True"
                  ? "Certificate is up to date and has not expired"
                  : "Issuing failed: ACME order rejected",
            },
          ],
    ...extra,
  },
});

const deployment = (replicas: number, status: Record<string, unknown>, generation = 3) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "api", namespace: "web", generation },
  spec: { replicas },
  status: { observedGeneration: 3, ...status },
});

describe("health rules: the built-in ones", () => {
  it("a cert-manager Certificate: ready, failed, still issuing; the verdict carries its own message", () => {
    expect(healthOf(certificate("True"))).toEqual({
      state: "Healthy",
      message: "Certificate is up to date and has not expired",
    });
    expect(healthOf(certificate("False"))).toEqual({
      state: "Degraded",
      message: "Issuing failed: ACME order rejected",
    });
    expect(healthOf(certificate(undefined)).state).toBe("Progressing");
    expect(healthOf({ ...certificate("True"), status: undefined }).state).toBe("Progressing");
  });

  it("a Deployment: available at its replicas, short of them, a failed rollout, and an unobserved generation", () => {
    expect(healthOf(deployment(3, { updatedReplicas: 3, availableReplicas: 3 })).state).toBe("Healthy");
    expect(healthOf(deployment(3, { updatedReplicas: 3, availableReplicas: 2 })).state).toBe("Progressing");
    const stuck = deployment(3, {
      updatedReplicas: 1,
      availableReplicas: 2,
      conditions: [
        {
          type: "Progressing",
          status: "False",
          reason: "ProgressDeadlineExceeded",
          message: "ReplicaSet api-7c9 has timed out progressing.",
        },
      ],
    });
    expect(healthOf(stuck)).toEqual({ state: "Degraded", message: "ReplicaSet api-7c9 has timed out progressing." });
    const newer = healthOf(deployment(3, { updatedReplicas: 3, availableReplicas: 3 }, 4));
    expect(newer).toEqual({
      state: "Progressing",
      message: "Deployment api: its controller has not seen generation 4 yet",
    });
    // No replicas field means one, as the API server defaults it.
    expect(healthOf({ ...deployment(1, { updatedReplicas: 1, availableReplicas: 1 }), spec: {} }).state).toBe(
      "Healthy",
    );
  });

  it("a Job, a Flux Kustomization, a SealedSecret, and a kind no rule knows", () => {
    const job = (type: string) => ({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "migrate" },
      status: { conditions: [{ type, status: "True" }] },
    });
    expect(healthOf(job("Complete")).state).toBe("Healthy");
    expect(healthOf(job("Failed")).state).toBe("Degraded");
    const kustomization = (conditions: unknown[]) => ({
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      metadata: { name: "apps", generation: 2 },
      status: { observedGeneration: 2, conditions },
    });
    expect(
      healthOf(kustomization([{ type: "Ready", status: "True", message: "Applied revision: main@sha1:abc" }])),
    ).toEqual({
      state: "Healthy",
      message: "Applied revision: main@sha1:abc",
    });
    // Flux's order: in progress is looked at before failed.
    expect(
      healthOf(
        kustomization([
          { type: "Reconciling", status: "True" },
          { type: "Ready", status: "False", message: "x" },
        ]),
      ).state,
    ).toBe("Progressing");
    expect(
      healthOf({
        apiVersion: "bitnami.com/v1alpha1",
        kind: "SealedSecret",
        metadata: { name: "s" },
        status: { conditions: [{ type: "Synced", status: "False", message: "no key could decrypt secret (url)" }] },
      }),
    ).toEqual({ state: "Degraded", message: "no key could decrypt secret (url)" });
    expect(healthOf({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } })).toEqual({
      state: "Healthy",
      message: "Widget w exists (no health rule for its kind)",
    });
  });
});

describe("health rules: the user's", () => {
  it("take precedence over the built-in rule for their kind, matched on group and kind", () => {
    const strict = compileHealthRule({
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      current: "self.status.?notAfter.hasValue()",
      failed: "self.status.?conditions.orValue([]).exists(c, c.type == 'Ready' && c.status == 'False')",
    });
    expect(healthOf(certificate("True"), [strict]).state).toBe("Progressing");
    expect(healthOf(certificate("True", { notAfter: "2027-01-01T00:00:00Z" }), [strict]).state).toBe("Healthy");
    expect(healthOf(certificate("False"), [strict]).state).toBe("Degraded");
    // Another version of the same group still matches; another group does not.
    expect(healthOf({ ...certificate("True"), apiVersion: "cert-manager.io/v1beta1" }, [strict]).state).toBe(
      "Progressing",
    );
    expect(healthOf({ ...certificate("True"), apiVersion: "example.com/v1" }, [strict]).state).toBe("Healthy");
  });

  it("an expression reading a field the object does not have yet waits instead of failing", () => {
    const rule = compileHealthRule({
      apiVersion: "example.com/v1",
      kind: "Widget",
      current: "self.status.phase == 'Done'",
    });
    const verdict = evaluateHealth(rule, { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } });
    expect(verdict.state).toBe("Progressing");
    expect(verdict.message).toMatch(/^Widget w: waiting \(current: No such key: status/);
    expect(evaluateHealth(rule, { kind: "Widget", metadata: { name: "w" }, status: { phase: "Done" } }).state).toBe(
      "Healthy",
    );
  });

  it("an invalid expression is refused with CEL's error, the field and the position", () => {
    const refused = (current: string) => {
      try {
        compileHealthRule({ apiVersion: "example.com/v1", kind: "Widget", current }, "body.rules[0]");
      } catch (error) {
        expect(error).toBeInstanceOf(UnprocessableError);
        return error as UnprocessableError;
      }
      throw new Error(`accepted: ${current}`);
    };
    const syntax = refused("self.status.phase == ");
    expect(syntax.code).toBe("invalid_expression");
    expect(syntax.message).toMatch(
      /^body\.rules\[0\]\.current is not a valid CEL expression at position 22: Unexpected token: EOF/,
    );
    expect(syntax.errors?.[0]).toMatchObject({ location: "body.rules[0].current" });
    expect(refused("other.status == 1").message).toMatch(/Unknown variable: other/);
    expect(refused("'a string'").message).toMatch(/must be a bool expression, not string/);
    expect(refused("1 + 'a'").message).toMatch(/no such overload/);
    // The parser's limits bound what one rule may cost.
    expect(refused(Array.from({ length: 300 }, () => "true").join(" && ")).message).toMatch(/Exceeded maxAstNodes/);
  });
});
