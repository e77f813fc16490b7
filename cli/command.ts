import type { Fleetplane } from "../sdk";
import type { Column } from "./output";
import type { ProgressStream } from "./progress";

/** A flag as `node:util` parseArgs takes it, with the line `--help` shows. */
export interface FlagSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  description: string;
}

export type Flags = Record<string, string | boolean | string[] | undefined>;

export interface CommandContext {
  fp: Fleetplane;
  /** Positional arguments after the verb. */
  args: string[];
  flags: Flags;
  /** Reads all of standard input (secret values arrive this way, never on the command line). */
  stdin(): Promise<string>;
  readFile(path: string): Promise<string>;
  /** Standard output, for commands that draw progress themselves. */
  out: ProgressStream;
  /** A note for people on standard error; never mixed into `-o json|yaml` output. */
  note(line: string): void;
}

/** What a command hands back to be printed. */
export interface CommandResult {
  /** Rendered as a table of the command's columns, or as json/yaml. */
  data?: unknown;
  /** A sentence for people (table output only). */
  message?: string;
}

export interface Command {
  summary: string;
  /** Positional arguments as shown in usage, e.g. `<tenant> <name>`. */
  args?: string;
  /** How many positional arguments are required. */
  required?: number;
  flags?: Record<string, FlagSpec>;
  columns?: Column[];
  run(ctx: CommandContext): Promise<CommandResult>;
}

/** noun → verb → command: `fleetplane <noun> <verb> …`. */
export type CommandTable = Record<string, { summary: string; verbs: Record<string, Command> }>;

/** A mistake in how the CLI was called (exit code 2), as opposed to a failed request (1). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const str = (flags: Flags, name: string): string | undefined => {
  const value = flags[name];
  return typeof value === "string" ? value : undefined;
};

export const list = (flags: Flags, name: string): string[] => {
  const value = flags[name];
  return Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
};

/** `k=v` pairs (labels) into an object; a malformed pair is a usage error. */
export function pairs(values: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of values) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UsageError(`${what} must be key=value, got "${pair}"`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}
