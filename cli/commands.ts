import { parse as parseYaml } from "yaml";
import { gone } from "../sdk";
import {
  type Command,
  type CommandContext,
  type CommandTable,
  type FlagSpec,
  type Flags,
  list,
  pairs,
  str,
  UsageError,
} from "./command";
import { age, type Column, col, labelsText } from "./output";
import { type WatchFrame, watch } from "./watch";

// biome-ignore lint/suspicious/noExplicitAny: the CLI reads every resource as JSON, by path, for any noun.
type Item = Record<string, any>;

const enc = encodeURIComponent;

const FILE_FLAG: Record<string, FlagSpec> = {
  file: { type: "string", short: "f", description: "create from a YAML or JSON file (`-` reads standard input)" },
};
const WAIT_FLAG: Record<string, FlagSpec> = {
  wait: { type: "boolean", description: "wait until the operation has finished" },
  timeout: { type: "string", description: "how long --wait waits, in seconds (default 600)" },
};
const SELECTOR_FLAG: Record<string, FlagSpec> = {
  selector: { type: "string", short: "l", description: "label selector, e.g. tier=prod,env!=dev" },
};
const LABEL_FLAG: Record<string, FlagSpec> = {
  label: { type: "string", multiple: true, description: "a label key=value (repeatable)" },
};

/** The body of a create: the file given with -f (YAML or JSON), with flags on top. */
async function bodyFrom(ctx: CommandContext, fromFlags: Item): Promise<Item> {
  const file = str(ctx.flags, "file");
  let base: Item = {};
  if (file) {
    const text = file === "-" ? await ctx.stdin() : await ctx.readFile(file);
    const parsed = parseYaml(text) as unknown;
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new UsageError(`${file} must hold one object (YAML or JSON)`);
    }
    base = parsed as Item;
  }
  const body: Item = { ...base };
  for (const [key, value] of Object.entries(fromFlags)) {
    if (value === undefined) continue;
    body[key] =
      typeof value === "object" && !Array.isArray(value) && typeof base[key] === "object"
        ? { ...base[key], ...value }
        : value;
  }
  if (!body.name) throw new UsageError("a name is required (as the first argument, or `name:` in the file)");
  return body;
}

const labelsFlag = (flags: Flags) => (list(flags, "label").length ? pairs(list(flags, "label"), "--label") : undefined);

function timeoutMs(flags: Flags): number {
  const seconds = Number(str(flags, "timeout") ?? 600);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError("--timeout is a number of seconds");
  return seconds * 1000;
}

async function waitGone(ctx: CommandContext, path: string, what: string) {
  ctx.note(`waiting for ${what} to be deleted…`);
  await ctx.fp.waitFor(() => ctx.fp.request<Item>("GET", path), gone, { timeoutMs: timeoutMs(ctx.flags) });
}

/** Every page of a list, as one array. */
async function all(ctx: CommandContext, path: string, query: Record<string, string | undefined>) {
  const items: Item[] = [];
  for await (const item of ctx.fp.list<Item>(path, query)) items.push(item);
  return { data: items };
}

interface Resource {
  /** Singular, for messages: "cluster". */
  kind: string;
  /** The collection path from the positional arguments before the item's ref. */
  collection: (args: string[]) => string;
  /** Positional arguments naming the parent (e.g. `<tenant>`), before the item's. */
  parents?: string;
  columns: Column[];
}

const itemArgs = (r: Resource, item: string) => (r.parents ? `${r.parents} ${item}` : item);
const parentCount = (r: Resource) => (r.parents ? r.parents.split(" ").length : 0);
const itemPath = (r: Resource, args: string[]) => `${r.collection(args)}/${enc(args[parentCount(r)]!)}`;

function listVerb(
  r: Resource,
  filters: Record<string, FlagSpec> = {},
  query: (f: Flags) => Item = () => ({}),
): Command {
  return {
    summary: `list ${r.kind}s`,
    ...(r.parents ? { args: r.parents, required: parentCount(r) } : {}),
    flags: filters,
    columns: r.columns,
    run: (ctx) => all(ctx, r.collection(ctx.args), query(ctx.flags)),
  };
}

function getVerb(r: Resource): Command {
  return {
    summary: `show one ${r.kind}`,
    args: itemArgs(r, "<name|id>"),
    required: parentCount(r) + 1,
    columns: r.columns,
    run: async (ctx) => ({ data: await ctx.fp.request("GET", itemPath(r, ctx.args)) }),
  };
}

function deleteVerb(r: Resource, waits = false): Command {
  return {
    summary: `delete a ${r.kind}`,
    args: itemArgs(r, "<name|id>"),
    required: parentCount(r) + 1,
    ...(waits ? { flags: WAIT_FLAG } : {}),
    columns: r.columns,
    run: async (ctx) => {
      const path = itemPath(r, ctx.args);
      const ref = ctx.args[parentCount(r)]!;
      const data = await ctx.fp.request<Item | undefined>("DELETE", path);
      if (waits && ctx.flags.wait) {
        await waitGone(ctx, path, `${r.kind} ${ref}`);
        return { data, message: `${r.kind} ${ref} deleted` };
      }
      return { data, message: data ? `${r.kind} ${ref} is being deleted` : `${r.kind} ${ref} deleted` };
    },
  };
}

function createVerb(
  r: Resource,
  flags: Record<string, FlagSpec>,
  fromFlags: (flags: Flags, ctx: CommandContext) => Item | Promise<Item>,
): Command {
  return {
    summary: `create a ${r.kind} from flags or a file`,
    args: itemArgs(r, "[name]"),
    required: parentCount(r),
    flags: { ...FILE_FLAG, ...flags },
    columns: r.columns,
    run: async (ctx) => {
      const name = ctx.args[parentCount(r)];
      const body = await bodyFrom(ctx, { name, ...(await fromFlags(ctx.flags, ctx)) });
      const data = await ctx.fp.request<Item>("POST", r.collection(ctx.args), { body });
      return { data, message: `${r.kind} ${data.name} created (${data.id})` };
    },
  };
}

const status = col("STATUS", "status.phase");
const created = { header: "AGE", value: (i: Item) => age(i.createdAt) };

const clusters: Resource = {
  kind: "cluster",
  collection: () => "/v1/clusters",
  columns: [
    col("NAME", "name"),
    col("PROVIDER", "provider"),
    col("ENVIRONMENT", "environment"),
    col("REGION", "region"),
    { header: "VERSION", value: (c) => c.status?.version ?? c.status?.serverVersion ?? c.version },
    status,
    { header: "LABELS", value: (c) => labelsText(c.labels) },
    created,
  ],
};

const clusterClasses: Resource = {
  kind: "cluster class",
  collection: () => "/v1/cluster-classes",
  columns: [
    col("NAME", "name"),
    col("PROVIDER", "provider"),
    col("REGION", "region"),
    col("VERSION", "version"),
    created,
  ],
};

const tenants: Resource = {
  kind: "tenant",
  collection: () => "/v1/tenants",
  columns: [
    col("NAME", "name"),
    col("NAMESPACE", "namespace"),
    col("SOURCE", "source.url"),
    col("PLACEMENT", "placement.labelSelector"),
    status,
    {
      header: "READY",
      value: (t) => (t.status?.summary ? `${t.status.summary.ready}/${t.status.summary.desired}` : ""),
    },
    created,
  ],
};

const secrets: Resource = {
  kind: "secret",
  collection: (args) => `/v1/tenants/${enc(args[0]!)}/secrets`,
  parents: "<tenant>",
  columns: [
    col("NAME", "name"),
    col("NAMESPACE", "namespace"),
    { header: "KEYS", value: (s) => (s.keys ?? []).join(",") },
    { header: "SOURCE", value: (s) => (s.remoteRef ? `remote:${s.remoteRef.key}` : "managed") },
    status,
    created,
  ],
};

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

const environments: Resource = {
  kind: "environment",
  collection: () => "/v1/environments",
  columns: [
    col("NAME", "name"),
    col("CLUSTERS", "status.clusters"),
    { header: "VALUES", value: (e) => labelsText(e.values ?? {}) },
    col("REPOSITORY", "fleetConfig.url"),
    created,
  ],
};

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

/** `secrets set`: the value comes from standard input or files, never from the command line. */
const secretsSet: Command = {
  summary: "create or rotate a secret; the value is read from standard input or --from-file",
  args: "<tenant> <name>",
  required: 2,
  flags: {
    key: { type: "string", description: "the key the standard-input value is stored under (default `value`)" },
    "from-file": { type: "string", multiple: true, description: "key=path: a key whose value is the file's content" },
    "refresh-interval": { type: "string", description: "how often clusters re-read the value, e.g. 1h" },
    ...LABEL_FLAG,
  },
  columns: secrets.columns,
  async run(ctx) {
    const [tenant, name] = ctx.args as [string, string];
    const data: Record<string, string> = {};
    for (const [key, path] of Object.entries(pairs(list(ctx.flags, "from-file"), "--from-file"))) {
      data[key] = await ctx.readFile(path);
    }
    if (Object.keys(data).length === 0) {
      const value = (await ctx.stdin()).replace(/\r?\n$/, "");
      if (!value) throw new UsageError("no value: pipe it on standard input, or use --from-file key=path");
      data[str(ctx.flags, "key") ?? "value"] = value;
    } else if (str(ctx.flags, "key")) {
      throw new UsageError("--key names the standard-input value; with --from-file the keys come from key=path");
    }
    const path = `/v1/tenants/${enc(tenant)}/secrets`;
    const existing = await ctx.fp.request<Item>("GET", `${path}/${enc(name)}`).catch((error) => {
      if (error?.status === 404) return undefined;
      throw error;
    });
    const labels = labelsFlag(ctx.flags);
    const refreshInterval = str(ctx.flags, "refresh-interval");
    if (!existing) {
      const body = { name, data, ...(labels ? { labels } : {}), ...(refreshInterval ? { refreshInterval } : {}) };
      const created = await ctx.fp.request<Item>("POST", path, { body });
      return { data: created, message: `secret ${name} created with keys ${created.keys?.join(", ")}` };
    }
    // A rotation keeps the secret's other settings: PUT replaces them all.
    const keep = ["namespace", "labels", "refreshInterval", "creationPolicy", "deletionPolicy"];
    const body: Item = Object.fromEntries(keep.filter((k) => existing[k] !== undefined).map((k) => [k, existing[k]]));
    Object.assign(body, { name, data }, labels ? { labels } : {}, refreshInterval ? { refreshInterval } : {});
    const rotated = await ctx.fp.request<Item>("PUT", `${path}/${enc(name)}`, { body });
    return { data: rotated, message: `secret ${name} rotated (keys ${rotated.keys?.join(", ")})` };
  },
};

const clusterCreate = createVerb(
  clusters,
  {
    class: { type: "string", description: "cluster class (name or id)" },
    provider: { type: "string", description: "eks, capi or imported (default: the class's)" },
    environment: { type: "string", description: "environment, e.g. staging" },
    region: { type: "string", description: "region, e.g. eu-west-1" },
    version: { type: "string", description: "Kubernetes version, e.g. 1.30" },
    wave: { type: "string", description: "rollout wave hint (a number)" },
    server: { type: "string", description: "imported clusters: the API server URL" },
    "ca-file": { type: "string", description: "imported clusters: the API server's CA certificate (PEM file)" },
    "token-file": { type: "string", description: "imported clusters: a file holding the bearer token" },
    ...LABEL_FLAG,
    ...WAIT_FLAG,
  },
  async (flags, ctx) => {
    const wave = str(flags, "wave");
    if (wave !== undefined && !/^\d+$/.test(wave)) throw new UsageError("--wave is a whole number");
    const server = str(flags, "server");
    const caFile = str(flags, "ca-file");
    const tokenFile = str(flags, "token-file");
    const connection =
      server || caFile || tokenFile
        ? {
            ...(server ? { server } : {}),
            ...(caFile ? { caData: Buffer.from(await ctx.readFile(caFile)).toString("base64") } : {}),
            ...(tokenFile ? { token: (await ctx.readFile(tokenFile)).trim() } : {}),
          }
        : undefined;
    return {
      class: str(flags, "class"),
      provider: str(flags, "provider"),
      environment: str(flags, "environment"),
      region: str(flags, "region"),
      version: str(flags, "version"),
      wave: wave === undefined ? undefined : Number(wave),
      labels: labelsFlag(flags),
      connection,
    };
  },
);

/** Creating a cluster with --wait follows it until it is Provisioned (or fails). */
const clusterCreateAndWait: Command = {
  ...clusterCreate,
  async run(ctx) {
    const result = await clusterCreate.run(ctx);
    if (!ctx.flags.wait) return result;
    const id = (result.data as Item).id as string;
    ctx.note(`waiting for cluster ${(result.data as Item).name} to be Provisioned…`);
    const ready = await ctx.fp.waitFor(
      () => ctx.fp.request<Item>("GET", `/v1/clusters/${enc(id)}`),
      (c) => c?.status?.phase === "Provisioned",
      { timeoutMs: timeoutMs(ctx.flags), failWhen: (c) => c.status?.phase === "Failed" },
    );
    return { data: ready, message: `cluster ${ready?.name} is Provisioned` };
  },
};

export const COMMANDS: CommandTable = {
  drift: {
    summary: "what changed on a cluster behind Fleetplane's back, and why",
    verbs: {
      show: {
        summary: "the latest drift report of a cluster, each item with its explanation",
        args: "<cluster>",
        required: 1,
        columns: [
          col("TYPE", "type"),
          { header: "OBJECT", value: (i) => `${i.kind}/${i.namespace ? `${i.namespace}/` : ""}${i.name}` },
          { header: "FIELD", value: (i) => i.path ?? "" },
          {
            header: "DESIRED → LIVE",
            value: (i) => (i.path ? `${JSON.stringify(i.desired)} → ${JSON.stringify(i.live)}` : ""),
          },
          { header: "BY", value: (i) => i.manager?.name ?? "" },
          { header: "WHY", value: (i) => i.explanation?.summary ?? "" },
          { header: "FIX", value: (i) => i.explanation?.remediation ?? "" },
        ],
        run: async (ctx) => {
          const report = await ctx.fp.request<Item>("GET", `/v1/clusters/${enc(ctx.args[0]!)}/drift`);
          const when = report.reconciledAt ? ` (reconciled ${age(report.reconciledAt)} ago)` : "";
          ctx.note(`${report.cluster?.name}: ${report.state}${when}${report.message ? `: ${report.message}` : ""}`);
          if (report.narrative) ctx.note(report.narrative);
          // Tables list the items; json/yaml carry the whole report.
          if ((ctx.flags.output ?? "table") !== "table") return { data: report };
          if ((report.items ?? []).length === 0) return { message: "no drift" };
          return { data: report.items };
        },
      },
    },
  },
  environments: {
    summary: "shared fleet-config values per environment (class < environment < cluster)",
    verbs: {
      list: listVerb(environments, SELECTOR_FLAG, (f) => ({ labelSelector: str(f, "selector") })),
      get: getVerb(environments),
      create: createVerb(
        environments,
        {
          description: { type: "string", description: "what the environment is" },
          value: { type: "string", multiple: true, description: "a fleet-config value key=value (repeatable)" },
          ...LABEL_FLAG,
        },
        (f) => ({
          description: str(f, "description"),
          values: list(f, "value").length ? pairs(list(f, "value"), "--value") : undefined,
          labels: labelsFlag(f),
        }),
      ),
      delete: deleteVerb(environments),
    },
  },
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
        flags: { interval: { type: "string", description: "seconds between looks (default 1)" } },
        run: async (ctx) => {
          const id = await rolloutId(ctx, ctx.args[0]!);
          const seconds = Number(str(ctx.flags, "interval") ?? 1);
          const { value, succeeded } = await watch(
            ctx.out,
            () => ctx.fp.request<Item>("GET", `/v1/rollouts/${enc(id)}`),
            rolloutFrame,
            { intervalMs: seconds * 1000 },
          );
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
  clusters: {
    summary: "clusters of the fleet",
    verbs: {
      list: listVerb(
        clusters,
        {
          ...SELECTOR_FLAG,
          environment: { type: "string", description: "only this environment" },
          phase: { type: "string", description: "only this phase, e.g. Provisioned" },
        },
        (f) => ({ labelSelector: str(f, "selector"), environment: str(f, "environment"), phase: str(f, "phase") }),
      ),
      get: getVerb(clusters),
      create: clusterCreateAndWait,
      delete: deleteVerb(clusters, true),
      addons: {
        summary: "the platform add-ons of a cluster: version wanted and found, the layer that chose it, state",
        args: "<name|id>",
        required: 1,
        columns: [
          col("NAME", "name"),
          col("WANTED", "version"),
          col("FOUND", "versionFound"),
          col("LAYER", "source"),
          col("PHASE", "phase"),
          { header: "MANAGED", value: (a) => (a.phase ? (a.managed ? "yes" : "no (adopt: false)") : "") },
          { header: "SINCE", value: (a) => (a.since ? age(a.since) : "") },
          col("MESSAGE", "message"),
        ],
        run: async (ctx) => {
          const id = enc(ctx.args[0]!);
          const [cluster, manifests] = await Promise.all([
            ctx.fp.request<Item>("GET", `/v1/clusters/${id}`),
            ctx.fp.request<Item>("GET", `/v1/clusters/${id}/manifests`),
          ]);
          // What the cluster should run (and which layer said so), joined with what it runs.
          const found = new Map<string, Item>(((cluster.status?.addons ?? []) as Item[]).map((a) => [a.name, a]));
          const rows = ((manifests.addons ?? []) as Item[]).map((w) => ({
            ...found.get(w.name),
            name: w.name,
            version: w.version,
            source: w.source,
          }));
          const ready = ((cluster.status?.conditions ?? []) as Item[]).find((c) => c.type === "AddonsReady");
          if (ready) ctx.note(`${cluster.name}: AddonsReady=${ready.status} (${ready.reason}): ${ready.message}`);
          return { data: rows };
        },
      },
      reconcile: {
        summary: "re-apply what Fleetplane wants on a cluster now",
        args: "<name|id>",
        required: 1,
        columns: clusters.columns,
        run: async (ctx) => {
          const data = await ctx.fp.request<Item>("POST", `/v1/clusters/${enc(ctx.args[0]!)}/reconcile`);
          return { data, message: `reconcile of cluster ${data.name} requested` };
        },
      },
    },
  },
  "cluster-classes": {
    summary: "templates clusters are created from",
    verbs: {
      list: listVerb(
        clusterClasses,
        { ...SELECTOR_FLAG, provider: { type: "string", description: "only this provider" } },
        (f) => ({ labelSelector: str(f, "selector"), provider: str(f, "provider") }),
      ),
      get: getVerb(clusterClasses),
      create: createVerb(
        clusterClasses,
        {
          provider: { type: "string", description: "eks, capi or imported" },
          region: { type: "string", description: "default region of its clusters" },
          version: { type: "string", description: "default Kubernetes version" },
          description: { type: "string", description: "what the class is for" },
          ...LABEL_FLAG,
        },
        (f) => ({
          provider: str(f, "provider"),
          region: str(f, "region"),
          version: str(f, "version"),
          description: str(f, "description"),
          labels: labelsFlag(f),
        }),
      ),
      delete: deleteVerb(clusterClasses),
    },
  },
  tenants: {
    summary: "teams placed on clusters, each with its own namespace and Git source",
    verbs: {
      list: listVerb(tenants, SELECTOR_FLAG, (f) => ({ labelSelector: str(f, "selector") })),
      get: getVerb(tenants),
      create: createVerb(
        tenants,
        {
          namespace: { type: "string", description: "the tenant's namespace on every cluster" },
          "source-url": { type: "string", description: "Git repository of the tenant's manifests" },
          branch: { type: "string", description: "Git branch" },
          path: { type: "string", description: "path inside the repository" },
          placement: { type: "string", description: "label selector of the clusters the tenant is placed on" },
          ...LABEL_FLAG,
        },
        (f) => {
          const source = {
            ...(str(f, "source-url") ? { url: str(f, "source-url") } : {}),
            ...(str(f, "branch") ? { branch: str(f, "branch") } : {}),
            ...(str(f, "path") ? { path: str(f, "path") } : {}),
          };
          return {
            namespace: str(f, "namespace"),
            source: Object.keys(source).length ? source : undefined,
            placement: str(f, "placement") ? { labelSelector: str(f, "placement") } : undefined,
            labels: labelsFlag(f),
          };
        },
      ),
      delete: deleteVerb(tenants, true),
    },
  },
  secrets: {
    summary: "a tenant's secrets (values are write-only)",
    verbs: {
      set: secretsSet,
      list: listVerb(secrets),
      get: getVerb(secrets),
      delete: deleteVerb(secrets, true),
    },
  },
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
