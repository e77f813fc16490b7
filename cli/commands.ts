import type { CommandTable } from "./command";
import { deliveryCommands } from "./nouns/delivery";
import { fleetCommands } from "./nouns/fleet";
import { platformCommands } from "./nouns/platform";
import { tenantCommands } from "./nouns/tenants";

/**
 * Every noun the CLI knows, each with its verbs, in the order `--help` lists them: the fleet,
 * its tenants, what is delivered to it, then the platform's own records.
 */
export const COMMANDS: CommandTable = {
  ...fleetCommands,
  ...tenantCommands,
  ...deliveryCommands,
  ...platformCommands,
};
