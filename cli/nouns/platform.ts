import { type CommandTable, str } from "../command";
import { col } from "../output";
import { all, created, deleteVerb, enc, getVerb, type Item, listVerb, type Resource } from "./shared";

const jobs: Resource = {
  kind: "job",
  collection: () => "/v1/jobs",
  columns: [
    col("ID", "id"),
    col("KIND", "kind"),
    { header: "CLUSTER", value: (j) => j.clusterName ?? j.cluster ?? "" },
    col("STATE", "state"),
    { header: "ATTEMPTS", value: (j) => `${j.attempts}/${j.maxAttempts}` },
    col("ERROR", "lastError"),
    created,
  ],
};

const tokens: Resource = {
  kind: "token",
  collection: () => "/v1/tokens",
  columns: [
    col("ID", "id"),
    col("NAME", "name"),
    col("ROLE", "role"),
    col("TENANT", "tenant"),
    col("EXPIRES", "expiresAt"),
    col("REVOKED", "revokedAt"),
    created,
  ],
};

export const platformCommands: CommandTable = {
  jobs: {
    summary: "per-cluster function runs",
    verbs: {
      list: listVerb(
        jobs,
        {
          cluster: { type: "string", description: "only this cluster (name or id)" },
          state: { type: "string", description: "only this state, e.g. Failed" },
          kind: { type: "string", description: "only this kind of job" },
        },
        (f) => ({ cluster: str(f, "cluster"), state: str(f, "state"), kind: str(f, "kind") }),
      ),
      get: getVerb(jobs),
      retry: {
        summary: "run a failed job again",
        args: "<id>",
        required: 1,
        columns: jobs.columns,
        run: async (ctx) => {
          const data = await ctx.fp.request<Item>("POST", `/v1/jobs/${enc(ctx.args[0]!)}/retry`);
          return { data, message: `job ${data.id} queued again` };
        },
      },
    },
  },
  events: {
    summary: "the audit and event log",
    verbs: {
      list: {
        summary: "list events, oldest first",
        flags: {
          resource: { type: "string", description: "only events of this resource id" },
          since: { type: "string", description: "only events after this time (ISO 8601)" },
        },
        columns: [
          col("TIME", "time"),
          col("TYPE", "type"),
          col("REASON", "reason"),
          {
            header: "RESOURCE",
            value: (e) => (e.resource ? `${e.resource.type}/${e.resource.name ?? e.resource.id}` : ""),
          },
          col("ACTOR", "actor"),
          col("MESSAGE", "message"),
        ],
        run: (ctx) => all(ctx, "/v1/events", { resource: str(ctx.flags, "resource"), since: str(ctx.flags, "since") }),
      },
    },
  },
  tokens: {
    summary: "API tokens",
    verbs: {
      list: listVerb(tokens),
      get: getVerb(tokens),
      create: {
        summary: "create an admin token; it is shown once",
        args: "<name>",
        required: 1,
        flags: { "expires-at": { type: "string", description: "when it stops working (ISO 8601)" } },
        columns: [...tokens.columns.slice(0, 3), col("TOKEN", "token")],
        run: async (ctx) => {
          const expiresAt = str(ctx.flags, "expires-at");
          const data = await ctx.fp.request<Item>("POST", "/v1/tokens", {
            body: { name: ctx.args[0], ...(expiresAt ? { expiresAt } : {}) },
          });
          ctx.note("The token is shown only now; store it somewhere safe.");
          return { data };
        },
      },
      revoke: { ...deleteVerb(tokens), summary: "revoke a token (revoking again is harmless)" },
    },
  },
};
