import { lookup } from "node:dns/promises";
import { createServer as createHttpsServer, type Server } from "node:https";
import { createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { hostname } from "node:os";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPeriodicPasses } from "../../core/periodic";
import { parseIp } from "../../core/url-policy";
import { type KubeEmulator, startKubeEmulator, tlsMaterial } from "../emulators/kube";
import { startTestHost, type TestHost } from "../node/support/harness";
import { waitFor } from "./support/checks";
import { operations, seededRef, seedReferences, urlFields, validBodies, withValue } from "./support/openapi";

/**
 * SSRF: every user-supplied URL field of the API (found by walking the OpenAPI write schemas)
 * gets a corpus of addresses that reach the host itself, the cloud metadata service or private
 * networks, in every spelling URL parsers accept. All are refused unless FLEET_URL_ALLOW lets
 * them in. Redirects and DNS names that resolve to private addresses are refused when
 * Fleetplane connects.
 */
const CORPUS = [
  "https://127.0.0.1/",
  "https://127.0.0.1:6443/",
  "https://localhost/",
  "https://LOCALHOST./",
  "https://api.localhost/",
  "https://[::1]/",
  "https://[::]/",
  "https://0.0.0.0/",
  "https://169.254.169.254/latest/meta-data/",
  "https://[fd00:ec2::254]/",
  "https://metadata.google.internal/computeMetadata/v1/",
  "https://100.100.100.200/",
  "https://10.0.0.1/",
  "https://10.255.255.254/",
  "https://172.16.0.1/",
  "https://172.31.255.254/",
  "https://192.168.1.1/",
  "https://[fc00::1]/",
  "https://[fd12:3456::1]/",
  "https://[fe80::1]/",
  "https://[::ffff:127.0.0.1]/",
  "https://[::ffff:7f00:1]/",
  "https://[0:0:0:0:0:ffff:a9fe:a9fe]/",
  "https://[::ffff:10.0.0.1]/",
  "https://[::127.0.0.1]/",
  "https://[64:ff9b::a9fe:a9fe]/",
  "https://2130706433/",
  "https://2852039166/",
  "https://0x7f000001/",
  "https://0177.0.0.1/",
  "https://0177.0000.0000.0001/",
  "https://127.1/",
  "https://0x7f.1/",
  "https://0xa9.0xfe.0xa9.0xfe/",
  "https://%31%32%37.0.0.1/",
  "https://user:pass@github.com/acme/x",
  "ssh://git@169.254.169.254/acme/x.git",
  "ssh://git@[::1]/acme/x.git",
];

/** URL fields naming Git (or Helm/OCI) repositories, which Flux or Argo CD fetch. */
const GIT_FIELDS = new Set(["fleetConfig.url", "source.url", "source.repoURL"]);

let t: TestHost;
let kube: KubeEmulator;
const counts = { fields: 0, requests: 0, refused: 0, allowed: 0, redirectHits: 0, dnsHits: 0 };

async function snapshot(host: TestHost): Promise<string> {
  const parts: string[] = [];
  for (const table of [
    "cluster_classes",
    "clusters",
    "tenants",
    "environments",
    "applications",
    "notification_providers",
    "jobs",
    "events",
  ]) {
    parts.push(JSON.stringify(await host.host.deps.store.all(sql.raw(`SELECT * FROM ${table} ORDER BY rowid`))));
  }
  return parts.join("\n");
}

/** Every (operation, URL field) pair of the API, with a valid body to put the URL in. */
function urlTargets() {
  const targets: {
    method: string;
    path: string;
    field: string[];
    body: (suffix: string) => Record<string, unknown>;
  }[] = [];
  for (const op of operations()) {
    if (!op.bodySchema) continue;
    for (const field of urlFields(op.bodySchema)) {
      const path = op.path.replace(
        "{ref}",
        op.path.startsWith("/v1/tenants")
          ? "team-x"
          : op.path.startsWith("/v1/cluster-classes")
            ? "with-repo"
            : (seededRef(op.path) ?? "edge-x"),
      );
      targets.push({
        method: op.method,
        path,
        field,
        body: (suffix) => {
          const bodies = validBodies({ kubeUrl: kube.url, caData: kube.caData, token: kube.token }, suffix);
          let base = bodies[op.bodySchema as string] as Record<string, unknown>;
          if (op.method === "PUT") base = { ...base, name: seededRef(op.path) ?? "with-repo" };
          // An add-on's bundle URL belongs to an add-on the catalog does not know, which names its version.
          if (field[0] === "addons") base = { ...base, addons: [{ name: "cert-manager", version: "1.19.1" }] };
          // A metric source of an add-on strategy sits in an analysis with its metrics.
          if (field[0] === "addonStrategy") {
            base = {
              ...base,
              addonStrategy: {
                analysis: {
                  prometheusUrl: "https://prometheus.example.com",
                  metrics: [{ name: "up", query: "up", min: 1 }],
                },
              },
            };
          }
          return base;
        },
      });
    }
  }
  return targets;
}

async function seed(host: TestHost, server: string) {
  const answers = [
    await host.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } }),
    await host.request("POST", "/v1/cluster-classes", {
      body: { name: "with-repo", provider: "imported", fleetConfig: { url: "https://github.com/acme/fleet-config" } },
    }),
    await host.request("POST", "/v1/clusters", {
      body: { name: "edge-x", class: "imported", connection: { server, caData: kube.caData, token: kube.token } },
    }),
    await host.request("POST", "/v1/tenants", {
      body: {
        name: "team-x",
        namespace: "team-x",
        source: { url: "https://github.com/acme/x" },
        placement: { labelSelector: "none=none" },
      },
    }),
  ];
  for (const a of answers) expect(a.status, a.text).toBeLessThan(300);
  await seedReferences((method, path, opts) => host.request(method, path, opts));
}

beforeAll(async () => {
  kube = await startKubeEmulator();
  // No FLEET_URL_ALLOW: the production default.
  t = await startTestHost({ FLEET_URL_ALLOW: "" }, { runJobs: false });
  await seed(t, "https://kube.example.com:6443");
});

afterAll(async () => {
  console.log(
    `ssrf: ${counts.fields} URL fields × ${CORPUS.length} addresses, ${counts.requests} requests, ${counts.refused} refused, ` +
      `${counts.allowed} allowed by FLEET_URL_ALLOW, connections that got through: redirect ${counts.redirectHits}, DNS ${counts.dnsHits}`,
  );
  await t?.close();
  await kube?.close();
});

describe("SSRF: every user-supplied URL field", () => {
  it("finds the URL fields the API has: cluster endpoints, fleet-config and tenant repositories", () => {
    const fields = new Set(urlTargets().map((x) => x.field.join(".")));
    for (const expected of ["connection.server", "fleetConfig.url", "source.url"]) expect(fields).toContain(expected);
    counts.fields = urlTargets().length;
  });

  it("refuses loopback, metadata, private and reserved addresses in every spelling, writing nothing", async () => {
    const before = await snapshot(t);
    const accepted: string[] = [];
    let n = 0;
    for (const target of urlTargets()) {
      for (const url of CORPUS) {
        n += 1;
        const body = withValue(target.body(`s${n}`), target.field, url);
        const res = await t.request(target.method, target.path, { body });
        counts.requests += 1;
        if (res.status === 422 || res.status === 400) {
          counts.refused += 1;
          expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        } else accepted.push(`${target.method} ${target.path} ${target.field.join(".")}=${url} → ${res.status}`);
      }
    }
    expect(accepted).toEqual([]);
    expect(await snapshot(t)).toBe(before);
  });

  it("accepts private addresses that FLEET_URL_ALLOW names, and nothing else", async () => {
    const allowing = await startTestHost({ FLEET_URL_ALLOW: "10.0.0.0/8,git.corp.internal" }, { runJobs: false });
    try {
      await seed(allowing, "https://kube.example.com:6443");
      let n = 0;
      for (const target of urlTargets()) {
        const field = target.field.join(".");
        const allowed =
          field === "connection.server"
            ? ["https://10.1.2.3:6443"]
            : GIT_FIELDS.has(field)
              ? ["https://10.1.2.3/acme/x.git", "ssh://git@git.corp.internal/acme/x.git"]
              : // Receivers Fleetplane calls over HTTP: webhooks, Prometheus.
                ["https://10.1.2.3/hook", "https://git.corp.internal/hook"];
        for (const url of allowed) {
          n += 1;
          let body = target.body(`a${n}`);
          // A cluster created here must have an endpoint this host allows (the emulator's is loopback).
          if (field !== "connection.server" && body.connection) {
            body = withValue(body, ["connection", "server"], "https://10.1.2.3:6443");
          }
          const res = await allowing.request(target.method, target.path, {
            body: withValue(body, target.field, url),
          });
          counts.requests += 1;
          expect(res.status, `${target.method} ${target.path} ${url}: ${res.text.slice(0, 200)}`).toBeLessThan(300);
          counts.allowed += 1;
        }
        const still = await allowing.request(target.method, target.path, {
          body: withValue(target.body(`b${n}`), target.field, "https://169.254.169.254/"),
        });
        counts.requests += 1;
        expect(still.status).toBe(422);
      }
    } finally {
      await allowing.close();
    }
  });
});

describe("SSRF at connect time", () => {
  let redirector: Server;
  let trap: TcpServer;
  let trapHits = 0;

  afterAll(async () => {
    redirector?.close();
    trap?.close();
  });

  it("a cluster endpoint that redirects to an address the policy refuses is not followed", async () => {
    // The trap listens on another loopback address, which FLEET_URL_ALLOW does not name.
    trap = createTcpServer((socket) => {
      trapHits += 1;
      socket.destroy();
    });
    await new Promise<void>((r) => trap.listen(0, "127.0.0.2", () => r()));
    const trapPort = (trap.address() as { port: number }).port;
    const tls = await tlsMaterial();
    redirector = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      res.writeHead(307, { location: `https://127.0.0.2:${trapPort}${req.url}` });
      res.end();
    });
    await new Promise<void>((r) => redirector.listen(0, "127.0.0.1", () => r()));
    const port = (redirector.address() as { port: number }).port;

    const host = await startTestHost({ FLEET_URL_ALLOW: "127.0.0.1", FLEET_JOB_MAX_ATTEMPTS: "2" });
    try {
      await host.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
      const res = await host.request("POST", "/v1/clusters", {
        body: {
          name: "redirected",
          class: "imported",
          connection: { server: `https://127.0.0.1:${port}`, caData: kube.caData, token: kube.token },
        },
      });
      counts.requests += 2;
      expect(res.status).toBe(202);
      const job = await waitFor(
        async () => {
          const jobs = (await host.request("GET", `/v1/jobs?cluster=${res.body.id}&kind=connectCluster`)).body.items;
          return jobs[0]?.state === "Failed" || jobs[0]?.state === "Succeeded" ? jobs[0] : undefined;
        },
        20_000,
        "the connect job to end",
      );
      counts.redirectHits = trapHits;
      expect(job.state).toBe("Failed");
      expect(trapHits).toBe(0);
      const cluster = (await host.request("GET", "/v1/clusters/redirected")).body;
      expect(cluster.status.conditions.find((c: { type: string }) => c.type === "Stalled")?.status).toBe("True");
    } finally {
      await host.close();
    }
  });

  it("a DNS name that resolves to a private address is accepted as a name but never connected to", async () => {
    // This machine's own name resolves to one of its (loopback or private) addresses.
    const name = hostname();
    const addresses = await lookup(name, { all: true });
    expect(
      addresses.every((a) => parseIp(a.address) !== undefined),
      `${name} must resolve for this test`,
    ).toBe(true);
    const host = await startTestHost({ FLEET_URL_ALLOW: "" });
    try {
      await host.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
      const before = kube.requests.length;
      const port = new URL(kube.url).port;
      const res = await host.request("POST", "/v1/clusters", {
        body: {
          name: "by-name",
          class: "imported",
          connection: { server: `https://${name}:${port}`, caData: kube.caData, token: kube.token },
        },
      });
      counts.requests += 2;
      expect(res.status).toBe(202);
      const cluster = await waitFor(
        async () => {
          const c = (await host.request("GET", "/v1/clusters/by-name")).body;
          const stalled = c.status.conditions.find((x: { type: string }) => x.type === "Stalled");
          return stalled?.status === "True" ? c : undefined;
        },
        20_000,
        "the cluster to stall",
      );
      const stalled = cluster.status.conditions.find((x: { type: string }) => x.type === "Stalled");
      expect(stalled.reason).toBe("AddressNotAllowed");
      counts.dnsHits = kube.requests.length - before;
      expect(kube.requests.length).toBe(before);
    } finally {
      await host.close();
    }
  });

  it("a webhook whose name resolves to a private address is never called", async () => {
    const name = hostname();
    const host = await startTestHost({ FLEET_URL_ALLOW: "", FLEET_JOB_MAX_ATTEMPTS: "1" });
    try {
      const before = kube.requests.length;
      const port = new URL(kube.url).port;
      const provider = await host.request("POST", "/v1/notification-providers", {
        body: { name: "by-name", type: "webhook", url: `https://${name}:${port}/hook` },
      });
      // The name passes at write time: only its addresses say where it leads.
      expect(provider.status, provider.text).toBe(201);
      const rule = await host.request("POST", "/v1/alert-rules", {
        body: { name: "all-registrations", providers: ["by-name"], reasons: ["Created"] },
      });
      expect(rule.status, rule.text).toBe(201);
      await host.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
      await runPeriodicPasses(host.host.deps);
      const job = await waitFor(
        async () => {
          const jobs = (await host.request("GET", "/v1/jobs?kind=deliverNotification")).body.items;
          return jobs.find((j: { state: string }) => j.state === "Failed");
        },
        20_000,
        "the delivery to be refused",
      );
      expect(job.lastError).toMatch(/AddressNotAllowed/);
      counts.requests += 3;
      expect(kube.requests.length).toBe(before);
    } finally {
      await host.close();
    }
  });
});
