import { type Command, type CommandContext, type CommandTable, type FlagSpec, str, UsageError } from "../command";
import { type Column, col } from "../output";
import { followEvents, type WatchFrame, watch } from "../watch";
import {
  all,
  created,
  createVerb,
  deleteVerb,
  enc,
  getVerb,
  type Item,
  LABEL_FLAG,
  labelsFlag,
  listVerb,
  type Resource,
  SELECTOR_FLAG,
  status,
} from "./shared";

const apps: Resource = {
  kind: "application",
  collection: () => "/v1/applications",
  columns: [
    col("NAME", "name"),
    col("TENANT", "tenant"),
    col("REVISION", "source.targetRevision"),
    col("NAMESPACE", "destination.namespace"),
    status,
    {
      header: "ROLLOUT",
      value: (a) =>
        a.status?.latestRollout ? `#${a.status.latestRollout.number} ${a.status.latestRollout.phase}` : "",
    },
    created,
  ],
};

const rolloutColumns: Column[] = [
  col("ID", "id"),
  { header: "OF", value: (r) => `${r.subject?.kind === "Addon" ? "addon/" : ""}${r.subject?.name ?? ""}` },
  { header: "#", value: (r) => String(r.number ?? "") },
  col("KIND", "kind"),
  { header: "TO", value: (r) => String(r.release?.source?.targetRevision ?? r.release?.addon?.version ?? "") },
  col("PHASE", "status.phase"),
  col("WAVE", "status.currentWave"),
  { header: "WAITING FOR", value: (r) => (r.status?.waitingFor ?? []).join("; ") },
];

const ADDON_FLAG: Record<string, FlagSpec> = {
  addon: { type: "boolean", description: "the argument names an add-on (flux, kyverno, …), not an application" },
};

/** Where the rollouts of the command's subject live: an application's, or an add-on's. */
function rolloutsOf(ctx: CommandContext): string {
  const name = enc(ctx.args[0]!);
  return ctx.flags.addon === true ? `/v1/addons/${name}/rollouts` : `/v1/applications/${name}/rollouts`;
}

/** The rollout an argument names: a rollout id, or an application's latest rollout. */
async function rolloutId(ctx: CommandContext, ref: string): Promise<string> {
  if (ref.startsWith("ro_")) return ref;
  const app = await ctx.fp.request<Item>("GET", `/v1/applications/${enc(ref)}`);
  const latest = app.status?.latestRollout?.id as string | undefined;
  if (!latest) throw new UsageError(`application ${ref} has no rollout yet`);
  return latest;
}

const TERMINAL_ROLLOUT = ["Succeeded", "Failed", "Aborted", "RolledBack"];

/** One frame of `rollouts watch`: a bar per wave, and what the rollout waits for, said once. */
export function rolloutFrame(r: Item): WatchFrame {
  const waves = (r.status?.waves ?? []) as Item[];
  const items = waves.map((w) => {
    const counts = (w.counts ?? {}) as Record<string, number>;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const done = (counts.Succeeded ?? 0) + (counts.Failed ?? 0) + (counts.TimeOut ?? 0) + (counts.Skip ?? 0);
    const failed = (counts.Failed ?? 0) + (counts.TimeOut ?? 0);
    return { label: w.name as string, done, total, state: `${w.state}${failed ? ` (${failed} failed)` : ""}` };
  });
  const phase = r.status?.phase as string;
  const messages = ((r.status?.waitingFor ?? []) as string[]).map((w) => `waiting for ${w}`);
  if (!TERMINAL_ROLLOUT.includes(phase)) return { items, messages };
  const why = r.status?.message ? `: ${r.status.message}` : "";
  return {
    items,
    messages,
    outcome: {
      succeeded: phase === "Succeeded",
      message: `${r.kind} #${r.number} of ${r.subject.name} ${phase}${why}`,
    },
  };
}

function rolloutVerb(verb: "pause" | "resume" | "abort" | "approve" | "rollback", summary: string): Command {
  return {
    summary,
    args: "<rollout-id|application>",
    required: 1,
    columns: rolloutColumns,
    run: async (ctx) => {
      const id = await rolloutId(ctx, ctx.args[0]!);
      const data = await ctx.fp.request<Item>("POST", `/v1/rollouts/${enc(id)}/${verb}`);
      const next = verb === "rollback" ? `; rollback is ${data.rolledBackBy}` : "";
      return { data, message: `rollout #${data.number} of ${data.subject.name}: ${data.status.phase}${next}` };
    },
  };
}

export const deliveryCommands: CommandTable = {
  apps: {
    summary: "applications rolled out across the fleet in waves",
    verbs: {
      list: listVerb(apps, SELECTOR_FLAG, (f) => ({ labelSelector: str(f, "selector") })),
      get: getVerb(apps),
      create: createVerb(
        apps,
        {
          tenant: { type: "string", description: "owning tenant" },
          repo: { type: "string", description: "Git or Helm repository URL" },
          path: { type: "string", description: "path inside the repository" },
          revision: { type: "string", description: "target revision (branch, tag, commit)" },
          namespace: { type: "string", description: "destination namespace" },
          targets: { type: "string", description: "label selector of the target clusters" },
          ...LABEL_FLAG,
        },
        (f) => {
          const source = {
            ...(str(f, "repo") ? { repoURL: str(f, "repo") } : {}),
            ...(str(f, "path") ? { path: str(f, "path") } : {}),
            ...(str(f, "revision") ? { targetRevision: str(f, "revision") } : {}),
          };
          return {
            tenant: str(f, "tenant"),
            source: Object.keys(source).length ? source : undefined,
            destination: str(f, "namespace") ? { namespace: str(f, "namespace") } : undefined,
            targets: str(f, "targets") !== undefined ? { labelSelector: str(f, "targets") } : undefined,
            labels: labelsFlag(f),
          };
        },
      ),
      "set-revision": {
        summary: "move an application to a new revision (starts a rollout)",
        args: "<name|id> <revision>",
        required: 2,
        columns: apps.columns,
        run: async (ctx) => {
          const [ref, revision] = ctx.args as [string, string];
          const data = await ctx.fp.request<Item>("PATCH", `/v1/applications/${enc(ref)}`, {
            body: { source: { targetRevision: revision } },
          });
          const latest = data.status?.latestRollout;
          return {
            data,
            message: `application ${data.name} → ${revision}; rollout #${latest?.number} (${latest?.id})`,
          };
        },
      },
      delete: deleteVerb(apps, true),
    },
  },
  rollouts: {
    summary: "wave-by-wave rollouts of applications and of add-on upgrades",
    verbs: {
      list: {
        summary: "list an application's rollouts (or with --addon, an add-on's fleet-wide upgrades), newest first",
        args: "<application|addon>",
        required: 1,
        flags: ADDON_FLAG,
        columns: rolloutColumns,
        run: (ctx) => all(ctx, `${rolloutsOf(ctx)}`, {}),
      },
      get: {
        summary: "show a rollout (an application's name shows its latest)",
        args: "<rollout-id|application>",
        required: 1,
        columns: rolloutColumns,
        run: async (ctx) => ({
          data: await ctx.fp.request("GET", `/v1/rollouts/${enc(await rolloutId(ctx, ctx.args[0]!))}`),
        }),
      },
      start: {
        summary:
          "roll an application's current spec out again (with --addon: move the clusters held back from an add-on's release)",
        args: "<application|addon>",
        required: 1,
        flags: { reason: { type: "string", description: "why, for the event log" }, ...ADDON_FLAG },
        columns: rolloutColumns,
        run: async (ctx) => {
          const reason = str(ctx.flags, "reason");
          const data = await ctx.fp.request<Item>("POST", rolloutsOf(ctx), {
            body: reason ? { reason } : {},
          });
          return { data, message: `rollout #${data.number} of ${data.subject.name} started (${data.id})` };
        },
      },
      watch: {
        summary: "draw a rollout's waves live until it ends (exit 1 unless it Succeeded)",
        args: "<rollout-id|application>",
        required: 1,
        flags: {
          interval: { type: "string", description: "seconds between looks without the event stream (default 1)" },
          poll: { type: "boolean", description: "poll instead of following the event stream" },
        },
        run: async (ctx) => {
          const id = await rolloutId(ctx, ctx.args[0]!);
          const seconds = Number(str(ctx.flags, "interval") ?? 1);
          // The event stream says at once when the rollout's phase moves (a wave waits for
          // approval, it pauses, it ends); clusters finishing inside a wave are looked at every
          // few seconds. Behind a proxy that cuts streams, it polls.
          const changes = ctx.flags.poll
            ? undefined
            : followEvents(ctx.fp, id, { idleMs: Math.max(2, seconds) * 1000, pollMs: seconds * 1000 });
          const { value, succeeded } = await watch(
            ctx.out,
            () => ctx.fp.request<Item>("GET", `/v1/rollouts/${enc(id)}`),
            rolloutFrame,
            { intervalMs: seconds * 1000, ...(changes ? { changes } : {}) },
          ).finally(() => changes?.close());
          if (!succeeded)
            throw new Error(`rollout #${value.number} of ${value.subject.name} ended ${value.status.phase}`);
          return {};
        },
      },
      pause: rolloutVerb("pause", "pause: clusters in flight finish, nothing new starts"),
      resume: rolloutVerb("resume", "resume a paused rollout"),
      approve: rolloutVerb("approve", "approve the wave waiting for approval"),
      abort: rolloutVerb("abort", "stop a rollout for good; clusters keep what they have"),
      rollback: rolloutVerb("rollback", "roll every cluster the rollout moved back to what it had"),
    },
  },
};
