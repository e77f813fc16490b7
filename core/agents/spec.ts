import { z } from "@hono/zod-openapi";

/**
 * The agent protocol's messages. An agent runs in a cluster Fleetplane cannot dial: it joins
 * once with the join token from the install manifest, then uses the credential it got back.
 */

/** The agent a request authenticated as: one cluster, nothing else. */
export interface AgentPrincipal {
  clusterId: string;
  clusterName: string;
}

export const AgentJoinRequest = z
  .strictObject({
    token: z.string().min(1).max(512).openapi({ description: "The join token from the install manifest" }),
  })
  .openapi("AgentJoinRequest");

export const AgentJoinResponse = z
  .object({
    cluster: z.object({ id: z.string(), name: z.string() }),
    credential: z.string().openapi({
      description: "The agent's credential for every later call. Shown once: Fleetplane keeps only its hash.",
    }),
  })
  .openapi("AgentJoinResponse");

export const AgentHeartbeat = z
  .strictObject({
    version: z.string().min(1).max(64).openapi({ example: "0.1.0" }),
    time: z.iso.datetime().openapi({ description: "The agent's clock when it sent this (to measure skew)" }),
  })
  .openapi("AgentHeartbeat");

export const AgentHeartbeatResponse = z
  .object({
    cluster: z.object({ id: z.string(), name: z.string() }),
    time: z.string().openapi({ description: "Fleetplane's clock" }),
  })
  .openapi("AgentHeartbeatResponse");

/** What creating an agent-mode cluster (or asking for a new join token) answers, once. */
export const AgentJoinGrant = z
  .object({
    token: z.string().openapi({ description: "One-time join token; also inside the install manifest" }),
    expiresAt: z.string(),
    manifest: z.string().openapi({ description: "Path of the install manifest: `kubectl apply -f` it in the cluster" }),
  })
  .openapi("AgentJoinGrant");
export type AgentJoinGrantValue = z.infer<typeof AgentJoinGrant>;

/** What the agent of a cluster last said of itself. */
export const AgentStatus = z
  .object({
    version: z.string().optional(),
    joinedAt: z.string().optional(),
    lastHeartbeatAt: z.string().optional(),
    clockSkewMs: z.int().optional().openapi({ description: "The agent's clock minus Fleetplane's" }),
  })
  .openapi("AgentStatus");

export const AgentWorkQuery = z.object({
  after: z.coerce.number().int().min(0).default(0).openapi({ description: "The last `seq` the agent finished" }),
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(25)
    .default(20)
    .openapi({ description: "Seconds to hold the request open while there is no work" }),
});

export const AgentWorkItem = z
  .object({
    id: z.string(),
    seq: z.int(),
    op: z.enum(["apply", "delete", "get", "list", "version", "apiGroups", "proxyGet"]).openapi({
      description:
        "apply: server-side apply `object` (field manager `fleetplane`, force); delete / get: the object `object` names; list: `object` is {apiVersion, kind, namespace?, labelSelector?}; version / apiGroups: the API server's version and its API group names; proxyGet: GET `object.path` on the Service `object.service` in `object.namespace` through the API server's service proxy, answered as text. Agents must report an op they do not know as not ok; newer ops are added over time.",
    }),
    object: z.record(z.string(), z.unknown()).openapi({ description: "What the operation works on" }),
  })
  .openapi("AgentWorkItem");

export const AgentWorkList = z
  .object({ items: z.array(AgentWorkItem), after: z.int().openapi({ description: "Ask again after this `seq`" }) })
  .openapi("AgentWorkList");

export const AgentReport = z
  .strictObject({
    number: z.int().min(1).openapi({ description: "Higher than every report this agent sent before" }),
    results: z
      .array(
        z.strictObject({
          id: z.string().min(1).max(64),
          ok: z.boolean(),
          message: z.string().max(4096).optional(),
          status: z.int().min(100).max(599).optional().openapi({
            description: "When not ok: the HTTP status the API server answered (absent when it did not answer)",
          }),
          result: z.unknown().optional().openapi({
            description:
              "When ok: the object read (null when absent), the list's items, whether a delete found something, the version, the API group names, or the text a service answered. Never a Secret.",
          }),
        }),
      )
      .max(500),
  })
  .openapi("AgentReport");

export const AgentReportAccepted = z.object({ accepted: z.int() }).openapi("AgentReportAccepted");
