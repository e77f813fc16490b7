/** What every noun of the CLI shares: flags, request helpers and the list/get/create/delete verbs. */
import { parse as parseYaml } from "yaml";
import { gone } from "../../sdk";
import { type Command, type CommandContext, type FlagSpec, type Flags, list, pairs, str, UsageError } from "../command";
import { age, type Column, col } from "../output";

// biome-ignore lint/suspicious/noExplicitAny: the CLI reads every resource as JSON, by path, for any noun.
export type Item = Record<string, any>;

export const enc = encodeURIComponent;

export const FILE_FLAG: Record<string, FlagSpec> = {
  file: { type: "string", short: "f", description: "create from a YAML or JSON file (`-` reads standard input)" },
};
export const WAIT_FLAG: Record<string, FlagSpec> = {
  wait: { type: "boolean", description: "wait until the operation has finished" },
  timeout: { type: "string", description: "how long --wait waits, in seconds (default 600)" },
};
export const SELECTOR_FLAG: Record<string, FlagSpec> = {
  selector: { type: "string", short: "l", description: "label selector, e.g. tier=prod,env!=dev" },
};
export const LABEL_FLAG: Record<string, FlagSpec> = {
  label: { type: "string", multiple: true, description: "a label key=value (repeatable)" },
};

/** The body of a create: the file given with -f (YAML or JSON), with flags on top. */
export async function bodyFrom(ctx: CommandContext, fromFlags: Item): Promise<Item> {
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

export const labelsFlag = (flags: Flags) =>
  list(flags, "label").length ? pairs(list(flags, "label"), "--label") : undefined;

export function timeoutMs(flags: Flags): number {
  const seconds = Number(str(flags, "timeout") ?? 600);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError("--timeout is a number of seconds");
  return seconds * 1000;
}

export async function waitGone(ctx: CommandContext, path: string, what: string) {
  ctx.note(`waiting for ${what} to be deleted…`);
  await ctx.fp.waitFor(() => ctx.fp.request<Item>("GET", path), gone, { timeoutMs: timeoutMs(ctx.flags) });
}

/** Every page of a list, as one array. */
export async function all(ctx: CommandContext, path: string, query: Record<string, string | undefined>) {
  const items: Item[] = [];
  for await (const item of ctx.fp.list<Item>(path, query)) items.push(item);
  return { data: items };
}

export interface Resource {
  /** Singular, for messages: "cluster". */
  kind: string;
  /** The collection path from the positional arguments before the item's ref. */
  collection: (args: string[]) => string;
  /** Positional arguments naming the parent (e.g. `<tenant>`), before the item's. */
  parents?: string;
  columns: Column[];
}

export const itemArgs = (r: Resource, item: string) => (r.parents ? `${r.parents} ${item}` : item);
export const parentCount = (r: Resource) => (r.parents ? r.parents.split(" ").length : 0);
export const itemPath = (r: Resource, args: string[]) => `${r.collection(args)}/${enc(args[parentCount(r)]!)}`;

export function listVerb(
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

export function getVerb(r: Resource): Command {
  return {
    summary: `show one ${r.kind}`,
    args: itemArgs(r, "<name|id>"),
    required: parentCount(r) + 1,
    columns: r.columns,
    run: async (ctx) => ({ data: await ctx.fp.request("GET", itemPath(r, ctx.args)) }),
  };
}

export function deleteVerb(r: Resource, waits = false): Command {
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

export function createVerb(
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

export const status = col("STATUS", "status.phase");
export const created = { header: "AGE", value: (i: Item) => age(i.createdAt) };
