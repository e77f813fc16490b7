import { readFile } from "node:fs/promises";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { createFleetplane, ProblemError, WaitError } from "../sdk";
import { type Command, type CommandTable, type FlagSpec, UsageError } from "./command";
import { COMMANDS } from "./commands";
import { type OutputFormat, render } from "./output";

/**
 * `fleetplane <noun> <verb> [args] [flags]`. Exit codes: 0 done, 1 the API refused or could not
 * be reached (the problem's detail is printed), 2 the command line itself was wrong.
 */
const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  url: { type: "string", description: "API URL (env FLEETPLANE_URL, default http://localhost:8787)" },
  token: { type: "string", description: "bearer token (env FLEETPLANE_TOKEN)" },
  output: { type: "string", short: "o", description: "table (default), json or yaml" },
  help: { type: "boolean", short: "h", description: "show help" },
};

export interface Io {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: { write(chunk: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(chunk: string): unknown };
  stdin(): Promise<string>;
}

function flagsHelp(flags: Record<string, FlagSpec>): string {
  return Object.entries(flags)
    .map(([name, f]) => {
      const left = `${f.short ? `-${f.short}, ` : "    "}--${name}${f.type === "string" ? " <value>" : ""}`;
      return `  ${left.padEnd(30)} ${f.description}`;
    })
    .join("\n");
}

export function helpText(table: CommandTable, noun?: string, verb?: string): string {
  const entry = noun ? table[noun] : undefined;
  const command = entry && verb ? entry.verbs[verb] : undefined;
  if (entry && command) {
    return [
      `Usage: fleetplane ${noun} ${verb}${command.args ? ` ${command.args}` : ""} [flags]`,
      "",
      command.summary,
      command.flags ? `\nFlags:\n${flagsHelp(command.flags)}` : "",
      `\nGlobal flags:\n${flagsHelp(GLOBAL_FLAGS)}`,
    ].join("\n");
  }
  if (entry) {
    const verbs = Object.entries(entry.verbs).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
    return [`Usage: fleetplane ${noun} <verb> …`, "", entry.summary, "", "Verbs:", ...verbs].join("\n");
  }
  const nouns = Object.entries(table).map(
    ([name, e]) => `  ${name.padEnd(16)} ${Object.keys(e.verbs).join(", ").padEnd(28)} ${e.summary}`,
  );
  return [
    "Usage: fleetplane <noun> <verb> [args] [flags]",
    "",
    "Commands:",
    ...nouns,
    "",
    `Global flags:\n${flagsHelp(GLOBAL_FLAGS)}`,
    "",
    "`fleetplane <noun> <verb> --help` shows a command's flags.",
  ].join("\n");
}

function parseOptions(flags: Record<string, FlagSpec>): NonNullable<ParseArgsConfig["options"]> {
  return Object.fromEntries(
    Object.entries(flags).map(([name, f]) => [
      name,
      { type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) },
    ]),
  );
}

function describeProblem(error: ProblemError): string {
  const lines = [`Error: ${error.detail}`];
  for (const field of error.errors) lines.push(`  ${field.location}: ${field.message}`);
  lines.push(`  (HTTP ${error.status} ${error.code}${error.requestId ? `, request ${error.requestId}` : ""})`);
  return lines.join("\n");
}

export async function run(io: Io, table: CommandTable = COMMANDS): Promise<number> {
  const say = (chunk: string) => io.stdout.write(chunk.endsWith("\n") ? chunk : `${chunk}\n`);
  const complain = (chunk: string) => io.stderr.write(chunk.endsWith("\n") ? chunk : `${chunk}\n`);
  // The noun and verb come first; the rest is parsed with that command's own flags.
  const words = parseArgs({
    args: io.argv,
    options: parseOptions(GLOBAL_FLAGS),
    strict: false,
    allowPositionals: true,
  });
  const [noun, verb] = words.positionals;
  const entry = noun ? table[noun] : undefined;
  const command: Command | undefined = entry && verb ? entry.verbs[verb] : undefined;
  if (!command) {
    const asked = words.values.help === true || io.argv.length === 0;
    if (asked) {
      say(helpText(table, entry ? noun : undefined));
      return 0;
    }
    complain(
      noun && !entry
        ? `Unknown command "${noun}".\n\n${helpText(table)}`
        : verb
          ? `Unknown verb "${verb}" for ${noun}.\n\n${helpText(table, noun)}`
          : helpText(table, noun),
    );
    return 2;
  }

  let target = "";
  try {
    const parsed = parseArgs({
      args: io.argv,
      options: parseOptions({ ...GLOBAL_FLAGS, ...command.flags }),
      strict: true,
      allowPositionals: true,
    });
    const flags = parsed.values as Record<string, string | boolean | string[] | undefined>;
    if (flags.help) {
      say(helpText(table, noun, verb));
      return 0;
    }
    const args = parsed.positionals.slice(2);
    if (args.length < (command.required ?? 0)) {
      throw new UsageError(`missing arguments: fleetplane ${noun} ${verb} ${command.args ?? ""}`.trimEnd());
    }
    const format = (flags.output ?? "table") as OutputFormat;
    if (!["table", "json", "yaml"].includes(format)) throw new UsageError("-o is one of table, json, yaml");
    const url = (flags.url as string | undefined) ?? io.env.FLEETPLANE_URL ?? "http://localhost:8787";
    target = url;
    try {
      new URL(url);
    } catch {
      throw new UsageError(`--url "${url}" is not a URL`);
    }
    const fp = createFleetplane({
      baseUrl: url,
      token: (flags.token as string | undefined) ?? io.env.FLEETPLANE_TOKEN,
      userAgent: "fleetplane-cli",
    });
    const result = await command.run({
      fp,
      args,
      flags,
      stdin: io.stdin,
      readFile: (path) => readFile(path, "utf8"),
      out: io.stdout,
      note: (line) => complain(line),
    });
    if (format === "table") {
      if (result.message) say(result.message);
      if (result.data !== undefined && command.columns) say(render(result.data, "table", command.columns));
    } else if (result.data !== undefined) {
      say(render(result.data, format, undefined));
    }
    return 0;
  } catch (error) {
    if (error instanceof ProblemError) {
      complain(describeProblem(error));
      return 1;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      complain(`Error: ${(error as Error).message}\n\n${helpText(table, noun, verb)}`);
      return 2;
    }
    if (error instanceof WaitError) {
      complain(`Error: ${error.message}`);
      return 1;
    }
    // fetch reports network failures as a TypeError whose cause says what went wrong.
    const cause = (error as { cause?: { message?: string } }).cause;
    if (error instanceof TypeError && cause) {
      complain(`Error: cannot reach the API at ${target}: ${cause.message}`);
      return 1;
    }
    if ((error as { code?: string }).code === "ENOENT") {
      complain(`Error: ${(error as Error).message}`);
      return 2;
    }
    complain(`Error: ${(error as Error).message ?? String(error)}`);
    return 1;
  }
}
