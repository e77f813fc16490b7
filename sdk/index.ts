export {
  createFleetplane,
  Fleetplane,
  type FleetplaneOptions,
  gone,
  type Page,
  type Schemas,
  type WaitOptions,
} from "./client";
export { type FieldError, ProblemError, WaitError } from "./errors";
export type { components, operations, paths } from "./generated/schema";
export { createTransport, type RetryOptions, retryAfterMs, type TransportOptions } from "./transport";

import type { components } from "./generated/schema";

export type Cluster = components["schemas"]["Cluster"];
export type ClusterClass = components["schemas"]["ClusterClass"];
export type Tenant = components["schemas"]["Tenant"];
export type Secret = components["schemas"]["Secret"];
export type Token = components["schemas"]["Token"];
export type Job = components["schemas"]["Job"];
export type Event = components["schemas"]["Event"];
export type Environment = components["schemas"]["Environment"];
export type Application = components["schemas"]["Application"];
export type Rollout = components["schemas"]["Rollout"];
