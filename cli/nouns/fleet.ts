import { type Command, type CommandTable, list, pairs, str, UsageError } from "../command";
import { age, col, labelsText } from "../output";
import {
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
  timeoutMs,
  WAIT_FLAG,
} from "./shared";

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

export const fleetCommands: CommandTable = {
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
      join: {
        summary: "the manifest that joins an agent-mode cluster: fleetplane clusters join <name> | kubectl apply -f -",
        args: "<name|id>",
        required: 1,
        flags: { image: { type: "string", description: "the agent image to run (default: the server's)" } },
        run: async (ctx) => {
          const path = `/v1/clusters/${enc(ctx.args[0]!)}/agent-manifest`;
          ctx.out.write(await ctx.fp.requestText("GET", path, { query: { image: str(ctx.flags, "image") } }));
          ctx.note(`apply it in the cluster: fleetplane clusters join ${ctx.args[0]} | kubectl apply -f -`);
          return {};
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
};
