import { createRoute } from "@hono/zod-openapi";
import { AgentHeartbeat, AgentHeartbeatResponse, AgentJoinRequest, AgentJoinResponse } from "../../core/agents/spec";
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
