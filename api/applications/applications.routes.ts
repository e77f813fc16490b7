import { createRoute, z } from "@hono/zod-openapi";
import { AddonName } from "../../core/addons/spec";
import { Application, ApplicationCreate, ApplicationPatch, Rollout, RolloutStart } from "../../core/applications/spec";
import {
  errors,
  IdempotencyHeader,
  IdParam,
  IfMatchHeader,
  jsonResponse,
  LabelSelectorQuery,
  mergePatchBody,
  PageQuery,
  pageOf,
  RefParam,
  SECURITY,
} from "../platform/openapi";

const tags = ["Applications"];
const json = jsonResponse;

export const createApplicationRoute = createRoute({
  operationId: "createApplication",
  method: "post",
  path: "/v1/applications",
  tags,
  summary: "Create an application",
  description:
    "Creates the application and starts its first rollout across the target clusters, wave by wave (`status.latestRollout`).",
  security: SECURITY,
  request: {
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: ApplicationCreate } } },
  },
  responses: { 201: json(Application, "Created; the first rollout is running"), ...errors(403, 409, 413, 415, 422) },
});

export const listApplicationsRoute = createRoute({
  operationId: "listApplications",
  method: "get",
  path: "/v1/applications",
  tags,
  summary: "List applications",
  description: "A tenant-scoped token sees only its own tenant's applications.",
  security: SECURITY,
  request: { query: z.object({ ...PageQuery, labelSelector: LabelSelectorQuery }) },
  responses: { 200: json(pageOf(Application, "ApplicationList"), "A page of applications"), ...errors() },
});

export const getApplicationRoute = createRoute({
  operationId: "getApplication",
  method: "get",
  path: "/v1/applications/{ref}",
  tags,
  summary: "Get an application by id or name",
  security: SECURITY,
  request: { params: RefParam },
  responses: { 200: json(Application, "The application; ETag carries its revision"), ...errors(404) },
});

export const patchApplicationRoute = createRoute({
  operationId: "patchApplication",
  method: "patch",
  path: "/v1/applications/{ref}",
  tags,
  summary: "Change an application (JSON merge patch)",
  description:
    "A change of source (revision, values), destination, sync policy or targets starts a rollout; a running one is superseded (`Aborted`, reason `Superseded`). Strategy and label changes apply to the next rollout.",
  security: SECURITY,
  request: { params: RefParam, headers: IfMatchHeader, body: mergePatchBody(ApplicationPatch) },
  responses: { 200: json(Application, "The updated application"), ...errors(403, 404, 409, 412, 413, 415, 422) },
});

export const deleteApplicationRoute = createRoute({
  operationId: "deleteApplication",
  method: "delete",
  path: "/v1/applications/{ref}",
  tags,
  summary: "Delete an application",
  description:
    "Answers 202 (phase `Deleting`): running rollouts are aborted and each cluster's Argo CD Application is removed. Once no cluster has it, GET answers 404.",
  security: SECURITY,
  request: { params: RefParam, headers: IfMatchHeader },
  responses: { 202: json(Application, "Deletion accepted"), ...errors(403, 404, 412) },
});

export const startRolloutRoute = createRoute({
  operationId: "startRollout",
  method: "post",
  path: "/v1/applications/{ref}/rollouts",
  tags,
  summary: "Roll the application out again",
  description:
    "Answers 202 with a new rollout of the application's current spec (e.g. after an abort); a running rollout is superseded. Clusters already Synced and Healthy at this release are `Skip`.",
  security: SECURITY,
  request: {
    params: RefParam,
    headers: IdempotencyHeader,
    body: { required: false, content: { "application/json": { schema: RolloutStart } } },
  },
  responses: { 202: json(Rollout, "Accepted; the rollout is running"), ...errors(403, 404, 409, 413, 415, 422) },
});

export const listRolloutsRoute = createRoute({
  operationId: "listRollouts",
  method: "get",
  path: "/v1/applications/{ref}/rollouts",
  tags,
  summary: "List an application's rollouts, newest first",
  security: SECURITY,
  request: { params: RefParam, query: z.object(PageQuery) },
  responses: { 200: json(pageOf(Rollout, "RolloutList"), "A page of rollouts"), ...errors(404) },
});

const AddonRefParam = z.object({
  ref: AddonName.openapi({ param: { name: "ref", in: "path" }, description: "The add-on's name" }),
});

export const listAddonRolloutsRoute = createRoute({
  operationId: "listAddonRollouts",
  method: "get",
  path: "/v1/addons/{ref}/rollouts",
  tags: ["Rollouts"],
  summary: "List an add-on's fleet-wide rollouts, newest first",
  description:
    "A change of an add-on's version on a cluster class or an environment rolls across the affected clusters in waves (the layer's `addonStrategy`); each is a rollout of subject `Addon`, steered with the same verbs as an application's. Administrators only.",
  security: SECURITY,
  request: {
    params: AddonRefParam,
    query: z.object(PageQuery),
  },
  responses: { 200: json(pageOf(Rollout, "AddonRolloutList"), "A page of rollouts"), ...errors(400, 403, 404) },
});

export const startAddonRolloutRoute = createRoute({
  operationId: "startAddonRollout",
  method: "post",
  path: "/v1/addons/{ref}/rollouts",
  tags: ["Rollouts"],
  summary: "Roll an add-on out again to the clusters held back from their spec's release",
  description:
    "After a rollback or an abort, once the cause is fixed: every cluster still held below the release its class, environment and own spec ask for moves in a new rollout, with the strategy of the add-on's latest one. 409 when no cluster is held back. Administrators only.",
  security: SECURITY,
  request: {
    params: AddonRefParam,
    headers: IdempotencyHeader,
    body: { required: false, content: { "application/json": { schema: RolloutStart } } },
  },
  responses: { 202: json(Rollout, "Accepted; the rollout is running"), ...errors(400, 403, 409, 413, 415, 422) },
});

export const getRolloutRoute = createRoute({
  operationId: "getRollout",
  method: "get",
  path: "/v1/rollouts/{id}",
  tags: ["Rollouts"],
  summary: "Get a rollout: per wave and per cluster state, and what it waits for",
  security: SECURITY,
  request: { params: IdParam },
  responses: { 200: json(Rollout, "The rollout; ETag carries its revision"), ...errors(404) },
});

const VERBS = {
  pause: "Pause: clusters in progress finish, no new cluster starts, no wave advances.",
  resume:
    "Resume a paused rollout. After a failure-budget halt the halted wave's failed clusters are retried; after a failed metric gate the analysis starts over.",
  abort: "Stop the rollout for good (`Aborted`); clusters keep what they have.",
  approve: "Approve the wave waiting for approval (`WaitingApproval`).",
  rollback:
    "Fleet-level rollback: every cluster this rollout moved goes back to what it had, in reverse wave order, as a new rollout of kind `rollback` (this one ends `RolledBack`). Only the application's latest rollout can be rolled back.",
} as const;

export type RolloutVerbName = keyof typeof VERBS;

export const rolloutVerbRoutes = (Object.keys(VERBS) as RolloutVerbName[]).map((verb) => ({
  verb,
  route: createRoute({
    operationId: `${verb}Rollout`,
    method: "post",
    path: `/v1/rollouts/{id}/${verb}`,
    tags: ["Rollouts"],
    summary: VERBS[verb],
    security: SECURITY,
    request: { params: IdParam },
    responses: { 200: json(Rollout, "The rollout after the verb"), ...errors(403, 404, 409) },
  }),
}));
