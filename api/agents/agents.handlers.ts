import { OpenAPIHono, type RouteHandler } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { agentHeartbeat, authenticateAgent, joinAgent } from "../../core/agents/verbs";
import { recordAgentReport, workFor } from "../../core/agents/work";
import { NotOfferedError, UnauthorizedError, UpgradeRequiredError } from "../../core/errors";
import type { AppDeps, AppEnv } from "../platform/env";
import { validationHook } from "../platform/validation";
import {
  agentDoorbellRoute,
  agentHeartbeatRoute,
  agentReportRoute,
  agentWorkRoute,
  joinAgentRoute,
} from "./agents.routes";

type Handler<R extends Parameters<OpenAPIHono<AppEnv>["openapi"]>[0]> = RouteHandler<R, AppEnv>;

/** Only an agent credential passes: user tokens (admin or tenant) are not agents. */
export function requireAgent(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const match = /^Bearer\s+(\S{1,512})$/i.exec(c.req.header("authorization") ?? "");
    if (!match) throw new UnauthorizedError("Send Authorization: Bearer <agent credential>");
    const agent = await authenticateAgent(deps, match[1] as string);
    if (!agent) throw new UnauthorizedError("The agent credential is not valid (unknown, replaced or revoked)");
    c.set("agent", agent);
    await next();
  };
}

export function agentRouter(deps: AppDeps) {
  const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  for (const route of [agentHeartbeatRoute, agentWorkRoute, agentReportRoute, agentDoorbellRoute])
    routes.use(route.path, requireAgent(deps));

  const join: Handler<typeof joinAgentRoute> = async (c) => {
    const { cluster, credential } = await joinAgent(deps, c.req.valid("json").token);
    c.header("cache-control", "no-store");
    return c.json({ cluster: { id: cluster.clusterId, name: cluster.clusterName }, credential }, 200);
  };

  const heartbeat: Handler<typeof agentHeartbeatRoute> = async (c) => {
    const agent = c.get("agent");
    const { time } = await agentHeartbeat(deps, agent, c.req.valid("json"));
    return c.json({ cluster: { id: agent.clusterId, name: agent.clusterName }, time }, 200);
  };

  const work: Handler<typeof agentWorkRoute> = async (c) => {
    const { after, wait } = c.req.valid("query");
    const items = await workFor(deps, c.get("agent"), after, wait * 1000);
    return c.json(
      {
        items: items.map((w) => ({ id: w.id, seq: w.seq, op: w.op, object: w.object })),
        after: items.at(-1)?.seq ?? after,
      },
      200,
    );
  };

  const report: Handler<typeof agentReportRoute> = async (c) =>
    c.json(await recordAgentReport(deps, c.get("agent"), c.req.valid("json")), 200);

  const doorbell: Handler<typeof agentDoorbellRoute> = async (c) => {
    if (!deps.agentDoorbell) {
      throw new NotOfferedError(
        "This host has no doorbell (it wakes held requests for work directly): hold GET /agent/v1/work open instead",
      );
    }
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new UpgradeRequiredError("The doorbell is a WebSocket: send Upgrade: websocket");
    }
    return (await deps.agentDoorbell.answer(c.get("agent").clusterId, c.req.raw)) as never;
  };

  return routes
    .openapi(joinAgentRoute, join)
    .openapi(agentDoorbellRoute, doorbell)
    .openapi(agentHeartbeatRoute, heartbeat)
    .openapi(agentWorkRoute, work)
    .openapi(agentReportRoute, report);
}
