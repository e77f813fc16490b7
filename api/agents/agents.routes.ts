import { createRoute } from "@hono/zod-openapi";
import {
  AgentHeartbeat,
  AgentHeartbeatResponse,
  AgentJoinRequest,
  AgentJoinResponse,
  AgentReport,
  AgentReportAccepted,
  AgentWorkList,
  AgentWorkQuery,
} from "../../core/agents/spec";
import { errors, jsonResponse } from "../platform/openapi";

/**
 * The agent protocol: what an agent in a cluster calls, never a person or a user token. Its
 * own path (`/agent/v1`) keeps it apart from the user API and its tokens.
 */
const tags = ["Agent protocol"];
export const AGENT_SECURITY = [{ agentAuth: [] }];

export const joinAgentRoute = createRoute({
  operationId: "agentJoin",
  method: "post",
  path: "/agent/v1/join",
  tags,
  summary: "Trade a join token for the agent's credential",
  description: "A join token works once, before it expires. The credential is shown once.",
  // The join token in the body is the credential: no bearer yet.
  security: [],
  request: { body: { required: true, content: { "application/json": { schema: AgentJoinRequest } } } },
  responses: { 200: jsonResponse(AgentJoinResponse, "Joined"), ...errors(413, 415) },
});

export const agentHeartbeatRoute = createRoute({
  operationId: "agentHeartbeat",
  method: "post",
  path: "/agent/v1/heartbeat",
  tags,
  summary: "The agent is alive",
  description: "Records the agent's version and clock skew, and sets the cluster's `AgentConnected` condition.",
  security: AGENT_SECURITY,
  request: { body: { required: true, content: { "application/json": { schema: AgentHeartbeat } } } },
  responses: { 200: jsonResponse(AgentHeartbeatResponse, "Recorded"), ...errors(413, 415) },
});

export const agentWorkRoute = createRoute({
  operationId: "agentWork",
  method: "get",
  path: "/agent/v1/work",
  tags,
  summary: "Work for the agent's cluster",
  description:
    "Pending work after `after`, in order; held open up to `wait` seconds while there is none. The agent applies (server-side apply, field manager `fleetplane`) or deletes each object in `seq` order, then reports.",
  security: AGENT_SECURITY,
  request: { query: AgentWorkQuery },
  responses: { 200: jsonResponse(AgentWorkList, "Work to do (possibly none)"), ...errors() },
});

export const agentReportRoute = createRoute({
  operationId: "agentReport",
  method: "post",
  path: "/agent/v1/reports",
  tags,
  summary: "What the agent did",
  description:
    "Each result finishes one item of this cluster's work. `number` must be higher than the last accepted report's: a replayed or reordered report is refused (409) and changes nothing.",
  security: AGENT_SECURITY,
  request: { body: { required: true, content: { "application/json": { schema: AgentReport } } } },
  responses: { 200: jsonResponse(AgentReportAccepted, "Recorded"), ...errors(404, 409, 413, 415) },
});

export const agentDoorbellRoute = createRoute({
  operationId: "agentDoorbell",
  method: "get",
  path: "/agent/v1/doorbell",
  tags,
  summary: "A WebSocket on which the host says when there is work",
  description:
    "Where the host has a doorbell (Workers: a Durable Object per cluster, hibernating while idle), an agent keeps this WebSocket open and asks for work with `wait=0` when it hears `work`, instead of holding requests for work open; the host answers the text `ping` with `pong` without waking. A host without one answers 404, and the agent holds requests for work open instead.",
  security: AGENT_SECURITY,
  responses: {
    101: { description: "Switched to the WebSocket; each `work` message means: ask for work now" },
    ...errors(404, 426),
  },
});
