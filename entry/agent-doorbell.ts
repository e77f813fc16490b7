import type {
  DurableObjectNamespace,
  DurableObjectState,
  Request as WorkerRequest,
  Response as WorkerResponse,
  WebSocket as WorkerWebSocket,
} from "@cloudflare/workers-types";
import type { AgentDoorbellHost } from "../api/platform/env";

/**
 * The agents' doorbell on Workers. Isolates share no memory, so the request that queues work
 * for a cluster cannot wake the agent's held request for it the way the Node host does; the
 * held request would have to look at D1 every few hundred milliseconds for as long as it is
 * held, for every agent. Instead each cluster has a Durable Object holding its agent's
 * WebSocket with the hibernation API: while nothing happens the object is evicted and the
 * socket costs nothing, the agent's keep-alive `ping` is answered `pong` by the runtime without
 * waking it, and queuing work rings it (`work` to every socket), after which the agent asks for
 * the work as usual. Nothing but "look now" goes over the socket: work and reports stay on the
 * authenticated HTTP routes, so a ring that is lost only delays an agent until its next look.
 */

/** What the runtime offers a Durable Object class that the workers-types package leaves as globals. */
declare const WebSocketPair: new () => { 0: WorkerWebSocket; 1: WorkerWebSocket };
declare const WebSocketRequestResponsePair: new (request: string, response: string) => unknown;

export const RING = "work";

export class AgentDoorbellObject {
  constructor(private readonly state: DurableObjectState) {
    this.state.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong") as never);
  }

  async fetch(request: WorkerRequest): Promise<WorkerResponse> {
    if (new URL(request.url).pathname === "/ring") {
      for (const socket of this.state.getWebSockets()) {
        try {
          socket.send(RING);
        } catch {
          // A socket closing as we ring: its agent looks for work when it reconnects.
        }
      }
      return new Response(null, { status: 204 }) as unknown as WorkerResponse;
    }
    const pair = new WebSocketPair();
    this.state.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] } as ResponseInit) as unknown as WorkerResponse;
  }

  /** Agents send nothing but keep-alives, which the runtime answers; anything else is ignored. */
  webSocketMessage(): void {}

  webSocketClose(socket: WorkerWebSocket, code: number, reason: string): void {
    // 1005/1006 (no status, abnormal) may not be sent back in a close frame.
    socket.close(code === 1005 || code === 1006 ? 1000 : code, reason);
  }
}

/** The doorbell of each cluster is the Durable Object named by its id. */
export function durableDoorbell(namespace: DurableObjectNamespace): AgentDoorbellHost {
  const of = (clusterId: string) => namespace.get(namespace.idFromName(clusterId));
  return {
    async ring(clusterId) {
      const res = await of(clusterId).fetch("https://doorbell.invalid/ring", { method: "POST" });
      if (res.status !== 204) throw new Error(`the doorbell answered ${res.status}`);
    },
    async answer(clusterId, request) {
      const res = await of(clusterId).fetch(request as unknown as WorkerRequest);
      // A Durable Object's response has immutable headers, and the app's middleware adds its own.
      return new Response(null, {
        status: res.status,
        headers: new Headers(res.headers as unknown as Headers),
        webSocket: res.webSocket,
      } as ResponseInit);
    },
  };
}
