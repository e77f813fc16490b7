import { readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

/**
 * Writes sdk/generated/schema.ts (the API's types) from openapi/openapi.json with
 * openapi-typescript. With --check it writes nothing and fails when the committed file
 * differs, which is how CI notices an SDK that lags behind the contract.
 */
const HERE = dirname(fileURLToPath(import.meta.url));
const SPEC = resolve(HERE, "../openapi/openapi.json");
const OUT = resolve(HERE, "generated/schema.ts");

const HEADER = `/**
 * Generated from openapi/openapi.json by \`npm run sdk\` (openapi-typescript). Do not edit:
 * change the routes, run \`npm run openapi && npm run sdk\`, and commit both.
 */

`;

export async function renderSchema(): Promise<string> {
  const document = JSON.parse(await readFile(SPEC, "utf8"));
  const ast = await openapiTS(document, { alphabetize: false, exportType: false });
  return HEADER + astToString(ast);
}

const next = await renderSchema();
if (process.argv.includes("--check")) {
  const current = await readFile(OUT, "utf8").catch(() => "");
  if (current !== next) {
    console.error("sdk/generated/schema.ts is stale: run `npm run sdk` and commit the result");
    process.exit(1);
  }
  console.log("sdk/generated/schema.ts is up to date");
} else {
  await writeFile(OUT, next);
  console.log(`wrote ${OUT}`);
}
