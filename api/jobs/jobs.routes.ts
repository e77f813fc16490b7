import { createRoute, z } from "@hono/zod-openapi";
import { JOB_STATES } from "../../core/jobs/jobs";
import { JOB_KINDS } from "../../core/jobs/kinds";
import { JobSchema } from "../../core/jobs/verbs";
import { errors, IdParam, jsonResponse, PageQuery, pageOf, SECURITY } from "../platform/openapi";

const tags = ["Jobs"];
const json = jsonResponse;

export const listJobsRoute = createRoute({
  operationId: "listJobs",
  method: "get",
  path: "/v1/jobs",
  tags,
  summary: "List per-cluster function invocations",
  security: SECURITY,
  request: {
    query: z.object({
      ...PageQuery,
      cluster: z.string().max(128).optional().openapi({ description: "Cluster id or name" }),
      state: z
        .string()
        .max(128)
        .regex(
          new RegExp(`^(${JOB_STATES.join("|")})(,(${JOB_STATES.join("|")}))*$`),
          `one or more of ${JOB_STATES.join(", ")}`,
        )
        .optional()
        .openapi({ description: "One state or several, comma separated" }),
      kind: z.enum(JOB_KINDS).optional().openapi({ example: "connectCluster" }),
    }),
  },
  responses: { 200: json(pageOf(JobSchema, "JobList"), "A page of jobs"), ...errors(403) },
});

export const getJobRoute = createRoute({
  operationId: "getJob",
  method: "get",
  path: "/v1/jobs/{id}",
  tags,
  summary: "Get a job",
  security: SECURITY,
  request: { params: IdParam },
  responses: { 200: json(JobSchema, "The job"), ...errors(403, 404) },
});

export const retryJobRoute = createRoute({
  operationId: "retryJob",
  method: "post",
  path: "/v1/jobs/{id}/retry",
  tags,
  summary: "Retry a Failed or Cancelled job with a fresh attempt budget",
  security: SECURITY,
  request: { params: IdParam },
  responses: { 200: json(JobSchema, "The job, queued again"), ...errors(403, 404, 409) },
});
