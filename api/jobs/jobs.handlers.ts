import { OpenAPIHono, type RouteHandler } from "@hono/zod-openapi";
import { getJob, jobToWire, listJobs, retryJob } from "../../core/jobs/verbs";
import type { AppEnv } from "../platform/env";
import { validationHook } from "../platform/validation";
import { pageResponse } from "../respond";
import { getJobRoute, listJobsRoute, retryJobRoute } from "./jobs.routes";

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
type Handler<R extends Parameters<typeof routes.openapi>[0]> = RouteHandler<R, AppEnv>;

const list: Handler<typeof listJobsRoute> = async (c) =>
  pageResponse(c, await listJobs(c.get("ctx"), c.req.valid("query")), jobToWire);

const get: Handler<typeof getJobRoute> = async (c) =>
  c.json(jobToWire(await getJob(c.get("ctx"), c.req.valid("param").id)), 200);

const retry: Handler<typeof retryJobRoute> = async (c) =>
  c.json(jobToWire(await retryJob(c.get("ctx"), c.req.valid("param").id)), 200);

export const jobsRouter = routes.openapi(listJobsRoute, list).openapi(getJobRoute, get).openapi(retryJobRoute, retry);
