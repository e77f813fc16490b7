import { type Command, type CommandTable, list, pairs, str, UsageError } from "../command";
import { col } from "../output";
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
} from "./shared";

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
    {
      header: "SOURCE",
      value: (s) =>
        s.remoteRef
          ? `remote:${s.remoteRef.key}`
          : s.delivery === "sealed-secrets"
            ? `sealed:${s.scope ?? "strict"}`
            : "managed",
    },
    status,
    created,
  ],
};

/** `secrets set`: the value comes from standard input or files, never from the command line. */
const secretsSet: Command = {
  summary: "create or rotate a secret; the value is read from standard input or --from-file",
  args: "<tenant> <name>",
  required: 2,
  flags: {
    key: { type: "string", description: "the key the standard-input value is stored under (default `value`)" },
    "from-file": { type: "string", multiple: true, description: "key=path: a key whose value is the file's content" },
    "refresh-interval": { type: "string", description: "how often clusters re-read the value, e.g. 1h" },
    sealed: {
      type: "boolean",
      description: "deliver it as SealedSecrets sealed for each cluster's controller, not through Secrets Manager",
    },
    scope: { type: "string", description: "with --sealed: strict (default), namespace-wide or cluster-wide" },
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
    const scope = str(ctx.flags, "scope");
    const sealed = ctx.flags.sealed === true;
    if (scope && !sealed) throw new UsageError("--scope is for sealed secrets: add --sealed");
    const delivery = sealed ? { delivery: "sealed-secrets" } : {};
    if (!existing) {
      const body = {
        name,
        data,
        ...delivery,
        ...(scope ? { scope } : {}),
        ...(labels ? { labels } : {}),
        ...(refreshInterval ? { refreshInterval } : {}),
      };
      const created = await ctx.fp.request<Item>("POST", path, { body });
      return { data: created, message: `secret ${name} created with keys ${created.keys?.join(", ")}` };
    }
    // A rotation keeps the secret's other settings: PUT replaces them all.
    const keep = [
      "namespace",
      "labels",
      "delivery",
      "scope",
      "refreshInterval",
      "creationPolicy",
      "deletionPolicy",
      "driftPolicy",
    ];
    const body: Item = Object.fromEntries(keep.filter((k) => existing[k] !== undefined).map((k) => [k, existing[k]]));
    Object.assign(
      body,
      { name, data },
      delivery,
      scope ? { scope } : {},
      labels ? { labels } : {},
      refreshInterval ? { refreshInterval } : {},
    );
    const rotated = await ctx.fp.request<Item>("PUT", `${path}/${enc(name)}`, { body });
    return { data: rotated, message: `secret ${name} rotated (keys ${rotated.keys?.join(", ")})` };
  },
};

export const tenantCommands: CommandTable = {
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
};
