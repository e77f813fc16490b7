import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer, request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { listen } from "../../entry/node";
import type { KubeEmulator } from "../emulators/kube";
import { freePort } from "../support/net";
import { agentManifestObjects } from "./support/agent-manifest";
import { type Fleet, startFleet } from "./support/fleet";
import { ADMIN_TOKEN, eventually } from "./support/harness";
import { ROOT } from "./support/server";

/** The `fleetplane` bin, spawned as a user runs it, against a host listening on a real port. */
let fleet: Fleet;
let url: string;
let server: { close(): void };
let kube: KubeEmulator;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "cli/bin.mjs"), ...args], {
      cwd: fleet.t.dir,
      env: { ...process.env, FLEETPLANE_URL: url, FLEETPLANE_TOKEN: ADMIN_TOKEN, ...opts.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => {
      stdout += c;
    });
    child.stderr.on("data", (c) => {
      stderr += c;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.stdin ?? "");
  });
}

const json = (run: Run) => JSON.parse(run.stdout);

/** A proxy in front of the host that logs what passes; `cutStreams` answers the event stream 502, as some proxies do. */
async function startProxy(cutStreams: boolean) {
  const seen: string[] = [];
  const proxy = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (cutStreams && req.url?.startsWith("/v1/events/stream")) {
      res.writeHead(502, { "content-type": "text/plain" }).end("Bad Gateway");
      return;
    }
    const upstream = request(`${url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>((done) => proxy.listen(port, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => {
      proxy.closeAllConnections();
      proxy.close();
    },
  };
}

beforeAll(async () => {
  fleet = await startFleet();
  kube = await fleet.addCluster("cli-staging", { env: "staging" });
  const port = await freePort();
  server = await listen(fleet.t.host, port, "127.0.0.1");
  url = `http://127.0.0.1:${port}`;
}, 60_000);
afterAll(async () => {
  server?.close();
  await fleet?.close();
});

describe("fleetplane: help and usage", () => {
  it("prints the command table, and a command's flags", async () => {
    const help = await cli([]);
    expect(help.code).toBe(0);
    for (const noun of ["clusters", "cluster-classes", "tenants", "secrets", "jobs", "events", "tokens"]) {
      expect(help.stdout).toContain(noun);
    }
    const create = await cli(["clusters", "create", "--help"]);
    expect(create.code).toBe(0);
    expect(create.stdout).toContain("--token-file");
    expect(create.stdout).toContain("-f, --file");
  });

  it("runs as the package's bin through npx", async () => {
    const run = await new Promise<Run>((resolve, reject) => {
      const child = spawn("npx", ["--no-install", "fleetplane", "tokens", "--help"], { cwd: ROOT, stdio: "pipe" });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c) => {
        stdout += c;
      });
      child.stderr.on("data", (c) => {
        stderr += c;
      });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Usage: fleetplane tokens <verb>");
    expect(run.stdout).toMatch(/revoke\s+revoke a token/);
  });

  it("exits 2 with a reason for a wrong command line", async () => {
    const unknown = await cli(["clusterz", "list"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "clusterz"');
    const missing = await cli(["clusters", "get"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing arguments: fleetplane clusters get <name|id>");
    const flag = await cli(["clusters", "list", "--colour"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("--colour");
    const format = await cli(["clusters", "list", "-o", "xml"]);
    expect(format.code).toBe(2);
  });
});

describe("fleetplane: clusters and classes", () => {
  it("creates a class from flags and shows it as a table", async () => {
    const run = await cli(["cluster-classes", "create", "edge", "--provider", "imported", "--label", "tier=edge"]);
    expect(run.code, run.stderr).toBe(0);
    const [message, header, row] = run.stdout.trim().split("\n");
    expect(message).toMatch(/^cluster class edge created \(ccl_/);
    expect(header).toMatch(/^NAME\s+PROVIDER\s+REGION\s+VERSION\s+AGE$/);
    expect(row).toMatch(/^edge\s+imported\s+/);
  });

  it("creates a cluster from a YAML file and waits until it is Provisioned", async () => {
    const file = join(fleet.t.dir, "cluster.yaml");
    await writeFile(
      file,
      [
        "name: cli-edge",
        "class: edge",
        "environment: staging",
        "labels:",
        "  Team: Payments",
        "connection:",
        `  server: ${kube.url}`,
        `  caData: ${kube.caData}`,
        `  token: ${kube.token}`,
        "",
      ].join("\n"),
    );
    const run = await cli(["clusters", "create", "-f", file, "--label", "tier=edge", "--wait", "-o", "json"]);
    expect(run.code, run.stderr).toBe(0);
    const cluster = json(run);
    expect(cluster).toMatchObject({ name: "cli-edge", labels: { Team: "Payments", tier: "edge" } });
    expect(cluster.status.phase).toBe("Provisioned");
    expect(run.stdout).not.toContain(kube.token);
    expect(run.stderr).toContain("waiting for cluster cli-edge to be Provisioned");
  });

  it("creates a cluster from flags, the connection's secrets read from files", async () => {
    const ca = join(fleet.t.dir, "ca.pem");
    const token = join(fleet.t.dir, "token");
    await writeFile(ca, Buffer.from(kube.caData, "base64"));
    await writeFile(token, `${kube.token}\n`);
    const run = await cli([
      "clusters",
      "create",
      "cli-flags",
      "--class",
      "edge",
      "--environment",
      "dev",
      "--wave",
      "4",
      "--server",
      kube.url,
      "--ca-file",
      ca,
      "--token-file",
      token,
      "--wait",
      "-o",
      "yaml",
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(parseYaml(run.stdout)).toMatchObject({
      name: "cli-flags",
      environment: "dev",
      wave: 4,
      connection: { server: kube.url },
      status: { phase: "Provisioned" },
    });
    const wave = await cli(["clusters", "create", "cli-bad-wave", "--class", "edge", "--wave", "soon"]);
    expect(wave.code).toBe(2);
    expect(wave.stderr).toContain("--wave is a whole number");
    const reconcile = await cli(["clusters", "reconcile", "cli-flags"]);
    expect(reconcile.code, reconcile.stderr).toBe(0);
    expect(reconcile.stdout).toContain("reconcile of cluster cli-flags requested");
    expect((await cli(["clusters", "delete", "cli-flags", "--wait"])).code).toBe(0);
  });

  it("lists clusters as a table, as YAML and filtered", async () => {
    const table = await cli(["clusters", "list"]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+PROVIDER\s+ENVIRONMENT\s+REGION\s+VERSION\s+STATUS\s+LABELS\s+AGE$/);
    expect(lines.find((l) => l.startsWith("cli-edge"))).toMatch(
      /imported\s+staging\s+.*Provisioned\s+Team=Payments,tier=edge/,
    );
    const yaml = parseYaml((await cli(["clusters", "list", "-o", "yaml"])).stdout);
    expect(yaml.map((c: { name: string }) => c.name).sort()).toEqual(["cli-edge", "cli-staging"]);
    const filtered = json(await cli(["clusters", "list", "-l", "tier=edge", "-o", "json"]));
    expect(filtered.map((c: { name: string }) => c.name)).toEqual(["cli-edge"]);
  });

  it("shows a cluster's add-ons: wanted, found, the layer that chose each, and their state", async () => {
    await eventually(async () => {
      const res = await fleet.request("GET", "/v1/clusters/cli-staging");
      return res.body.status.conditions.some(
        (c: { type: string; status: string }) => c.type === "AddonsReady" && c.status === "True",
      )
        ? true
        : undefined;
    }, 15_000);
    const run = await cli(["clusters", "addons", "cli-staging"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/cli-staging: AddonsReady=True \(AddonsReady\): flux 2\.7\.3/);
    const [header, ...rows] = run.stdout.trim().split("\n");
    expect(header).toMatch(/^NAME\s+WANTED\s+FOUND\s+LAYER\s+PHASE\s+MANAGED\s+SINCE\s+MESSAGE$/);
    expect(rows[0]).toMatch(/^flux\s+2\.7\.3\s+2\.7\.3\s+default\s+Ready\s+yes\s+/);
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(["flux", "external-secrets", "kyverno"]);
    const missing = await cli(["clusters", "addons", "no-such-cluster"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("404");
  });

  it("lists an add-on's fleet-wide upgrades, and says why none can start", async () => {
    const listed = await cli(["rollouts", "list", "kyverno", "--addon", "-o", "json"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
    const started = await cli(["rollouts", "start", "kyverno", "--addon"]);
    expect(started.code).toBe(1);
    expect(started.stderr).toMatch(/No cluster is held back from its spec's release of kyverno/);
    const unknown = await cli(["rollouts", "list", "no-such-addon", "--addon"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("404");
  });

  it("shows the problem detail and exits 1 when the API refuses", async () => {
    const missing = await cli(["clusters", "get", "no-such-cluster"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toMatch(/^Error: .*no-such-cluster/);
    expect(missing.stderr).toMatch(/\(HTTP 404 not_found, request \S+\)/);
    const invalid = await cli(["cluster-classes", "create", "Not_A_Name", "--provider", "imported"]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("body.name:");
    expect(invalid.stderr).toContain("HTTP 400 validation_failed");
    const anonymous = await cli(["clusters", "list"], { env: { FLEETPLANE_TOKEN: "" } });
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain("HTTP 401 unauthorized");
  });

  it("says so when the API cannot be reached", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const run = await cli(["clusters", "list"], { env: { FLEETPLANE_URL: closed } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Error: cannot reach the API at ${closed}`);
  });

  it("takes --url and --token over the environment", async () => {
    const run = await cli(["clusters", "get", "cli-edge", "--url", url, "--token", ADMIN_TOKEN, "-o", "json"], {
      env: { FLEETPLANE_URL: "http://127.0.0.1:9", FLEETPLANE_TOKEN: "wrong" },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(json(run).name).toBe("cli-edge");
  });

  it("deletes a cluster and waits until it is gone", async () => {
    const run = await cli(["clusters", "delete", "cli-edge", "--wait"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("cluster cli-edge deleted");
    expect((await cli(["clusters", "get", "cli-edge"])).code).toBe(1);
  });
});

describe("fleetplane: tenants and secrets", () => {
  it("creates and lists a tenant", async () => {
    const run = await cli([
      "tenants",
      "create",
      "team-cli",
      "--namespace",
      "cli",
      "--source-url",
      "https://github.com/acme/cli-k8s",
      "--placement",
      "env=staging",
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/tenant team-cli created \(tnt_/);
    const listed = json(await cli(["tenants", "list", "-o", "json"]));
    expect(listed).toEqual([
      expect.objectContaining({ name: "team-cli", placement: { labelSelector: "env=staging" } }),
    ]);
    const got = json(await cli(["tenants", "get", "team-cli", "-o", "json"]));
    expect(got.source).toEqual({ url: "https://github.com/acme/cli-k8s" });
  });

  it("sets a secret from stdin and rotates it from a file, never echoing the value", async () => {
    const value = "hunter2-from-stdin-7f3a";
    const set = await cli(["secrets", "set", "team-cli", "db-password", "--key", "password"], { stdin: `${value}\n` });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain("secret db-password created with keys password");
    expect(set.stdout + set.stderr).not.toContain(value);
    const stored = fleet.aws.secrets.get("fleetplane/team-cli/db-password");
    expect(JSON.stringify([...(stored?.versions.values() ?? [])])).toContain(value);

    const rotatedValue = "rotated-from-file-9c1d";
    const file = join(fleet.t.dir, "password.txt");
    await writeFile(file, rotatedValue);
    const rotate = await cli(["secrets", "set", "team-cli", "db-password", "--from-file", `password=${file}`]);
    expect(rotate.code, rotate.stderr).toBe(0);
    expect(rotate.stdout).toContain("secret db-password rotated");
    expect(rotate.stdout + rotate.stderr).not.toContain(rotatedValue);
    expect(JSON.stringify([...(stored?.versions.values() ?? [])])).toContain(rotatedValue);

    const shown = await cli(["secrets", "get", "team-cli", "db-password", "-o", "yaml"]);
    expect(parseYaml(shown.stdout)).toMatchObject({ name: "db-password", keys: ["password"] });
    expect(shown.stdout).not.toContain(rotatedValue);
    const listed = await cli(["secrets", "list", "team-cli"]);
    expect(listed.stdout).toMatch(/^db-password\s+password\s+managed\s+/m);
  });

  it("sets a sealed secret with its scope, and a rotation keeps how it is delivered", async () => {
    const value = "sealed-from-stdin-41be";
    const set = await cli(["secrets", "set", "team-cli", "api-key", "--sealed", "--scope", "namespace-wide"], {
      stdin: value,
    });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain("secret api-key created with keys value");
    expect(fleet.aws.secrets.has("fleetplane/team-cli/api-key")).toBe(false);
    const rotate = await cli(["secrets", "set", "team-cli", "api-key"], { stdin: `${value}-2` });
    expect(rotate.code, rotate.stderr).toBe(0);
    const shown = json(await cli(["secrets", "get", "team-cli", "api-key", "-o", "json"]));
    expect(shown).toMatchObject({ delivery: "sealed-secrets", scope: "namespace-wide", keys: ["value"] });
    expect(JSON.stringify(shown)).not.toContain(value);
    const listed = await cli(["secrets", "list", "team-cli"]);
    expect(listed.stdout).toMatch(/^api-key\s+value\s+sealed:namespace-wide\s+/m);
    const scopeAlone = await cli(["secrets", "set", "team-cli", "other", "--scope", "strict"], { stdin: "x" });
    expect(scopeAlone.code).toBe(2);
    expect(scopeAlone.stderr).toContain("--scope is for sealed secrets");
    expect((await cli(["secrets", "delete", "team-cli", "api-key", "--wait"])).code).toBe(0);
  });

  it("refuses a secret without a value, and never takes one from the command line", async () => {
    const empty = await cli(["secrets", "set", "team-cli", "empty"]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("no value");
    const argv = await cli(["secrets", "set", "team-cli", "leaky", "--value", "oops"]);
    expect(argv.code).toBe(2);
    expect(argv.stderr).not.toContain("secret leaky created");
  });

  it("deletes a secret and a tenant", async () => {
    const secret = await cli(["secrets", "delete", "team-cli", "db-password", "--wait"]);
    expect(secret.code, secret.stderr).toBe(0);
    expect(secret.stdout).toContain("secret db-password deleted");
    const tenant = await cli(["tenants", "delete", "team-cli", "--wait"]);
    expect(tenant.code, tenant.stderr).toBe(0);
    const again = await cli(["tenants", "delete", "team-cli"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("HTTP 404 not_found");
  });
});

describe("fleetplane: jobs, events and tokens", () => {
  it("lists and shows jobs; retrying one that did not fail is refused with the reason", async () => {
    const jobs = json(await cli(["jobs", "list", "--cluster", "cli-staging", "-o", "json"]));
    expect(jobs.length).toBeGreaterThan(0);
    const job = jobs[0];
    const shown = json(await cli(["jobs", "get", job.id, "-o", "json"]));
    expect(shown).toMatchObject({ id: job.id, kind: job.kind, clusterName: "cli-staging" });
    const table = await cli(["jobs", "list", "--cluster", "cli-staging"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+KIND\s+CLUSTER\s+STATE\s+ATTEMPTS\s+ERROR\s+AGE$/);
    // The cluster by its name, not its id.
    expect(table.stdout.split("\n")[1]).toMatch(/^job_\S+\s+\S+\s+cli-staging\s/);
    const retry = await cli(["jobs", "retry", job.id]);
    expect(retry.code).toBe(1);
    expect(retry.stderr).toMatch(/^Error: /);
    expect(retry.stderr).toMatch(/HTTP 4\d\d/);
  });

  it("lists events", async () => {
    const events = json(await cli(["events", "list", "-o", "json"]));
    expect(events.map((e: { reason: string }) => e.reason)).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(events.length).toBeGreaterThan(3);
    const table = await cli(["events", "list", "--resource", "cli-staging"]);
    expect(table.code, table.stderr).toBe(0);
    // The resource by its kind and name, not as raw JSON.
    expect(table.stdout).toMatch(/\sCluster\/cli-staging\s/);
    expect(table.stdout).not.toContain("{");
  });

  it("creates a token (shown once), lists it without its secret, and revokes it", async () => {
    const created = await cli(["tokens", "create", "ci", "-o", "json"]);
    expect(created.code, created.stderr).toBe(0);
    const token = json(created);
    expect(token.token).toMatch(/^fpt_/);
    expect(created.stderr).toContain("shown only now");
    const works = await cli(["clusters", "list", "-o", "json"], { env: { FLEETPLANE_TOKEN: token.token } });
    expect(works.code).toBe(0);
    const listed = await cli(["tokens", "list"]);
    expect(listed.stdout).toMatch(new RegExp(`${token.id}\\s+ci\\s+admin`));
    expect(listed.stdout).not.toContain(token.token);
    const revoked = await cli(["tokens", "revoke", token.id]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const refused = await cli(["clusters", "list"], { env: { FLEETPLANE_TOKEN: token.token } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("HTTP 401");
  });
});

describe("fleetplane: applications and rollouts", () => {
  it("creates an app from a file, watches its rollout to the end, and exits 1 when a rollout is rolled back", async () => {
    const { startArgoCdController } = await import("../emulators/argocd");
    const argo = startArgoCdController(fleet.clusters);
    try {
      const file = join(fleet.t.dir, "app.yaml");
      await writeFile(
        file,
        [
          "name: cli-web",
          "source: { repoURL: https://github.com/acme/web, path: deploy, targetRevision: v1 }",
          "destination: { namespace: web }",
          "targets: { labelSelector: env=staging }",
          "strategy: { waves: [{ name: canary }], onFailure: rollback, progressDeadline: 20s }",
          "",
        ].join("\n"),
      );
      const created = await cli(["apps", "create", "-f", file]);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toMatch(/application cli-web created/);

      const watched = await cli(["rollouts", "watch", "cli-web", "--interval", "0.1"]);
      expect(watched.code, watched.stderr).toBe(0);
      // Piped, so plain lines, one per change: the wave ends Succeeded, then how the rollout ended.
      expect(watched.stdout).toMatch(/^canary: 1\/1 Succeeded$/m);
      expect(watched.stdout).toMatch(/rollout #1 of cli-web Succeeded/);

      const listed = await cli(["rollouts", "list", "cli-web", "-o", "json"]);
      expect(json(listed).map((r: { number: number }) => r.number)).toEqual([1]);

      argo.outcome = (_cluster, revision) => (revision === "v2" ? "Degraded" : "Healthy");
      const moved = await cli(["apps", "set-revision", "cli-web", "v2"]);
      expect(moved.code, moved.stderr).toBe(0);
      expect(moved.stdout).toMatch(/cli-web → v2; rollout #2/);
      const failed = await cli(["rollouts", "watch", "cli-web", "--interval", "0.1"]);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/RolledBack: 1 of 1 cluster\(s\) failed in wave canary/);
      expect(failed.stderr).toMatch(/ended RolledBack/);

      const again = await cli(["rollouts", "rollback", "cli-web"]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/Cannot rollback rollout #3: it is itself a rollback/);
    } finally {
      argo.stop();
    }
  }, 60_000);

  it("rollouts watch follows the event stream, and polls behind a proxy that cuts streams, saying so", async () => {
    const { startArgoCdController } = await import("../emulators/argocd");
    const argo = startArgoCdController(fleet.clusters);
    try {
      for (const cut of [false, true]) {
        const proxy = await startProxy(cut);
        const name = cut ? "cli-gated-polled" : "cli-gated-streamed";
        const app = await fleet.request("POST", "/v1/applications", {
          body: {
            name,
            source: { repoURL: "https://github.com/acme/web", path: "deploy", targetRevision: "v1" },
            destination: { namespace: name },
            targets: { labelSelector: "env=staging" },
            strategy: { waves: [{ name: "gate", requireApproval: true }] },
          },
        });
        expect(app.status).toBe(201);
        const rollout = `/v1/rollouts/${app.body.status.latestRollout.id}`;
        const watching = cli(["rollouts", "watch", name, "--interval", "0.2"], { env: { FLEETPLANE_URL: proxy.url } });
        await eventually(async () =>
          (await fleet.request("GET", rollout)).body.status.phase === "WaitingApproval" ? true : undefined,
        );
        const streams = () => proxy.seen.filter((s) => s.startsWith("GET /v1/events/stream")).length;
        await eventually(async () => (streams() >= (cut ? 2 : 1) ? true : undefined), 10_000, "stream requests");
        // One more look after that, so what it learnt has been drawn.
        const looked = proxy.seen.length;
        await eventually(async () =>
          proxy.seen.slice(looked).some((s) => s.startsWith("GET /v1/rollouts/")) ? true : undefined,
        );
        expect((await fleet.request("POST", `${rollout}/approve`)).status).toBe(200);
        const run = await watching;
        proxy.close();
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toMatch(new RegExp(`rollout #1 of ${name} Succeeded`));
        expect(run.stdout).toMatch(/waiting for gate: approval/);
        if (cut)
          expect(run.stdout).toMatch(/the event stream does not stay open here \(a proxy\?\); looking every 0.2 s/);
        else expect(run.stdout).not.toMatch(/event stream/);
      }
    } finally {
      argo.stop();
    }
  }, 60_000);

  it("prints the manifest that joins an agent-mode cluster, for kubectl apply -f -", async () => {
    const created = await fleet.request("POST", "/v1/clusters", {
      body: { name: "cli-private", class: "imported", connection: { mode: "agent" } },
    });
    expect(created.status).toBe(202);
    const run = await cli(["clusters", "join", "cli-private", "--image", "registry.local/agent:dev"]);
    expect(run.code, run.stderr).toBe(0);
    const objects = agentManifestObjects(run.stdout);
    expect(objects[4].stringData.FLEETPLANE_JOIN_TOKEN).toBe(created.body.agentJoin.token);
    expect(objects[5].spec.template.spec.containers[0].image).toBe("registry.local/agent:dev");
    expect(run.stderr).toContain("fleetplane clusters join cli-private | kubectl apply -f -");
    // A cluster reached directly has no agent to join: the problem, exit code 1.
    const direct = await cli(["clusters", "join", "cli-staging"]);
    expect(direct.code).toBe(1);
    expect(direct.stderr).toMatch(/not an agent-mode cluster|reached directly/);
  });

  it("manages environments", async () => {
    const created = await cli([
      "environments",
      "create",
      "staging",
      "--value",
      "replicas=1",
      "--description",
      "pre-prod",
    ]);
    expect(created.code, created.stderr).toBe(0);
    const got = await cli(["environments", "get", "staging", "-o", "json"]);
    expect(json(got)).toMatchObject({ name: "staging", values: { replicas: "1" }, description: "pre-prod" });
    expect((await cli(["environments", "delete", "staging"])).code).toBe(0);
  });
});
