import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeNotifications } from "../../core/notifications/fanout";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { dataFilesText } from "./support/fleet";
import { eventually, expectProblem, startTestHost, type TestHost } from "./support/harness";

const SIGNING_SECRET = "whsec-0123456789abcdef-signing";
const SLACK_URL = "https://hooks.slack.com/services/T0001/B0001/slacktokensecret42";
const KUSTOMIZATION = {
  apiVersion: "kustomize.toolkit.fluxcd.io/v1",
  kind: "Kustomization",
  namespace: "flux-system",
  name: "fleet-config",
};

interface Delivery {
  eventId: string;
  signature: string;
  body: string;
  status: number;
}

/** A webhook receiver that answers 503 to its first `failures` requests, then 200. */
async function startReceiver(failures: number) {
  const deliveries: Delivery[] = [];
  let remaining = failures;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const status = remaining > 0 ? 503 : 200;
      if (remaining > 0) remaining--;
      deliveries.push({
        eventId: String(req.headers["x-fleetplane-event"]),
        signature: String(req.headers["x-fleetplane-signature"] ?? ""),
        body: Buffer.concat(chunks).toString("utf8"),
        status,
      });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/fleetplane`;
  return { url, deliveries, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** What a receiver does: recompute the HMAC over the raw body and compare in constant time. */
function verified(delivery: Delivery): boolean {
  const expected = `sha256=${createHmac("sha256", SIGNING_SECRET).update(delivery.body).digest("hex")}`;
  return (
    expected.length === delivery.signature.length &&
    timingSafeEqual(Buffer.from(expected), Buffer.from(delivery.signature))
  );
}

describe("notifications", () => {
  let t: TestHost;
  let kube: KubeEmulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const texts: string[] = [];
  const request: TestHost["request"] = async (method, path, opts) => {
    const res = await t.request(method, path, opts);
    texts.push(res.text);
    return res;
  };
  const delivered = (reason: string) =>
    receiver.deliveries.filter((d) => d.status === 200 && JSON.parse(d.body).event.reason === reason);

  beforeAll(async () => {
    t = await startTestHost({
      FLEET_SWEEP_INTERVAL_SECONDS: "1",
      FLEET_RECONCILE_INTERVAL_SECONDS: "3600",
      FLEET_PROVIDER_POLL_MS: "50",
    });
    kube = await startKubeEmulator({ name: "edge-eu" });
    receiver = await startReceiver(2);
  });

  afterAll(async () => {
    await t?.close();
    await kube?.close();
    await receiver?.close();
  });

  it("creates providers with write-only secrets, behind the URL policy", async () => {
    const webhook = await request("POST", "/v1/notification-providers", {
      body: { name: "ops", type: "webhook", url: receiver.url, signingSecret: SIGNING_SECRET },
    });
    expect(webhook.status).toBe(201);
    expect(webhook.body).toMatchObject({ name: "ops", type: "webhook", url: receiver.url, signed: true });
    expect(webhook.body.signingSecret).toBeUndefined();
    const slack = await request("POST", "/v1/notification-providers", {
      body: { name: "chat", type: "slack", url: SLACK_URL },
    });
    expect(slack.status).toBe(201);
    expect(slack.body.url).toBe("https://hooks.slack.com/…");
    const metadata = await request("POST", "/v1/notification-providers", {
      body: { name: "meta", type: "webhook", url: "http://169.254.169.254/latest" },
    });
    expectProblem(metadata, 422, "url_not_allowed");
    const plain = await request("POST", "/v1/notification-providers", {
      body: { name: "plain", type: "webhook", url: "http://alerts.example.com/hook" },
    });
    expectProblem(plain, 422, "url_not_allowed");
    expectProblem(
      await request("POST", "/v1/notification-providers", {
        body: { name: "short", type: "webhook", url: receiver.url, signingSecret: "x" },
      }),
      400,
    );
    const list = await request("GET", "/v1/notification-providers?pageSize=1");
    expect(list.body.items).toHaveLength(1);
    expect(list.body.nextPageToken).toBeTruthy();
  });

  it("refuses rules naming unknown providers, and providers in use cannot go", async () => {
    expectProblem(
      await request("POST", "/v1/alert-rules", { body: { name: "bad", providers: ["nobody"] } }),
      422,
      "invalid_reference",
    );
    const rule = await request("POST", "/v1/alert-rules", {
      body: {
        name: "fleet-warnings",
        providers: ["ops"],
        reasons: ["ClusterUnreachable", "DriftDetected"],
        severities: ["warning"],
      },
    });
    expect(rule.status).toBe(201);
    expectProblem(await request("DELETE", "/v1/notification-providers/ops"), 409);
    expectProblem(
      await request("PATCH", "/v1/alert-rules/fleet-warnings", {
        headers: { "if-match": '"99"' },
        body: { severities: ["info"] },
      }),
      412,
    );
  });

  it("delivers a drift alert signed, retrying while the receiver fails", async () => {
    await request("POST", "/v1/cluster-classes", {
      body: { name: "gitops", provider: "imported", fleetConfig: { url: "https://github.com/acme/fleet-config" } },
    });
    const created = await request("POST", "/v1/clusters", {
      body: {
        name: "edge-eu",
        class: "gitops",
        connection: { server: kube.url, caData: kube.caData, token: kube.token },
      },
    });
    expect(created.status).toBe(202);
    await eventually(async () => (kube.store.get(KUSTOMIZATION) ? true : undefined));
    kube.setStatus(KUSTOMIZATION, {
      observedGeneration: 1,
      conditions: [{ type: "Ready", status: "True", reason: "ReconciliationSucceeded", message: "Applied" }],
    });
    await eventually(async () =>
      (await request("GET", "/v1/clusters/edge-eu/drift")).body.state === "Ready" ? true : undefined,
    );
    kube.editAs("kubectl-edit", KUSTOMIZATION, { spec: { path: "./clusters/hotfix" } });
    await request("POST", "/v1/clusters/edge-eu/reconcile");
    const [ok] = await eventually(
      async () => {
        const found = delivered("DriftDetected");
        return found.length > 0 ? found : undefined;
      },
      20_000,
      "a delivered drift alert",
    );
    const attempts = receiver.deliveries.filter((d) => d.eventId === ok!.eventId);
    expect(attempts.map((d) => d.status)).toEqual([503, 503, 200]);
    expect(attempts.every(verified)).toBe(true);
    const payload = JSON.parse(ok!.body);
    expect(payload).toMatchObject({ rule: "fleet-warnings", severity: "warning", event: { resourceName: "edge-eu" } });
    expect(payload.event.diff.items[0]).toMatchObject({ path: ".spec.path", manager: { name: "kubectl-edit" } });
    // A tampered body does not verify.
    expect(verified({ ...ok!, body: ok!.body.replace("edge-eu", "edge-us") })).toBe(false);
  });

  it("alerts once when a cluster becomes unreachable, not on every reconcile", async () => {
    kube.faults.down = true;
    try {
      for (let i = 0; i < 3; i++) {
        const askedAt = Date.now();
        await request("POST", "/v1/clusters/edge-eu/reconcile");
        await eventually(async () => {
          const res = await request("GET", "/v1/clusters/edge-eu/drift");
          return res.body.state === "Unknown" && Date.parse(res.body.reconciledAt) >= askedAt ? true : undefined;
        });
      }
      await eventually(
        async () => (delivered("ClusterUnreachable").length > 0 ? true : undefined),
        20_000,
        "the unreachable alert",
      );
      // Further passes of the fan-out find nothing new to send.
      expect(await routeNotifications(t.host.deps)).toEqual([]);
      expect(await routeNotifications(t.host.deps)).toEqual([]);
      expect(delivered("ClusterUnreachable")).toHaveLength(1);
      expect(verified(delivered("ClusterUnreachable")[0]!)).toBe(true);
    } finally {
      kube.faults.down = false;
    }
  });

  it("never shows or stores a signing secret or a Slack URL in the clear", async () => {
    texts.push((await request("GET", "/v1/notification-providers/chat")).text);
    texts.push((await request("GET", "/v1/events?pageSize=500")).text);
    const all = texts.join("\n");
    expect(all).not.toContain(SIGNING_SECRET);
    expect(all).not.toContain("slacktokensecret42");
    const files = await dataFilesText(t.dir);
    expect(files).not.toContain(SIGNING_SECRET);
    expect(files).not.toContain("slacktokensecret42");
  });
});
