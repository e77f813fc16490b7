import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFleetplane, type Fleetplane, gone, ProblemError } from "../../sdk";
import { CONTRACT_RESOURCES, type ContractResource, type ContractWorld, startContractWorld } from "./support/contract";
import { ADMIN_TOKEN } from "./support/harness";

/**
 * What a Terraform provider does with every resource, through the generated SDK against the
 * real app: create, read back exactly what was written, read again without a diff, update,
 * import by id and by name, delete, see it gone, delete again harmlessly; long operations are
 * polled to completion; a create retried after a client-side timeout creates nothing twice.
 */
let w: ContractWorld;
let fp: Fleetplane;

beforeAll(async () => {
  w = await startContractWorld();
  fp = createFleetplane({
    baseUrl: "http://fleetplane.test",
    token: ADMIN_TOKEN,
    fetch: (request) => Promise.resolve(w.t.host.app.fetch(request)),
  });
}, 60_000);
afterAll(() => w?.close());

type Item = Record<string, any>;

const WAIT = { intervalMs: 25, timeoutMs: 20_000 };

/** The written fields of an item, as the provider would store them in its state. */
const userFields = (item: Item, written: Record<string, unknown>) =>
  Object.fromEntries(Object.keys(written).map((key) => [key, item[key]]));

/** On every resource whether written or not: server-owned fields, and labels (`{}` when none were written). */
const COMMON = ["id", "status", "generation", "revision", "createdAt", "updatedAt", "labels"];

/** Fields a read shows that the user did not write and the server does not own. */
const injected = (r: ContractResource, item: Item, expected: Record<string, unknown>) =>
  Object.keys(item).filter((key) => !(key in expected) && !COMMON.includes(key) && !r.computed?.includes(key));

/** Everything but status, which the platform may move on between two reads. */
const withoutStatus = ({ status: _, ...rest }: Item) => rest;

const itemPath = (r: ContractResource, ref: string) => `${r.collection(w)}/${encodeURIComponent(ref)}`;

/** Settled: the resource's own condition holds, and the platform has acted on its latest spec. */
const settledOn = (r: ContractResource, item: Item | undefined) =>
  !!item &&
  (r.settled?.(item) ?? true) &&
  (item.status?.observedGeneration === undefined || item.status.observedGeneration >= item.generation);

async function settle(r: ContractResource, ref: string): Promise<Item> {
  const item = await fp.waitFor(
    () => fp.request<Item>("GET", itemPath(r, ref)),
    (i) => settledOn(r, i),
    {
      ...WAIT,
      ...(r.failed ? { failWhen: r.failed } : {}),
    },
  );
  if (!item) throw new Error(`${r.title} ${ref} disappeared while settling`);
  // A cluster may have follow-up work queued for the same change (a scale, then a reconcile
  // that re-applies its Flux objects): settled also means none of it is still to run, so the
  // reads compared below are not overtaken by its status write.
  if (String(item.id).startsWith("cls_")) {
    // (Reconciles the scheduler queued for later are not part of this change.)
    const due = (page: { items: { state: string; runAfter: string }[] } | undefined) =>
      (page?.items ?? []).filter((j) => j.state === "Running" || Date.parse(j.runAfter) <= Date.now());
    await fp.waitFor(
      () =>
        fp.request<{ items: { state: string; runAfter: string }[] }>(
          "GET",
          `/v1/jobs?cluster=${item.id}&state=Queued,Running`,
        ),
      (page) => due(page).length === 0,
      WAIT,
    );
    return (await fp.request<Item>("GET", itemPath(r, ref))) as Item;
  }
  return item;
}

async function waitDeleted(r: ContractResource, id: string) {
  if (r.deletedReads === "revoked") return;
  await fp.waitFor(() => fp.request<Item>("GET", itemPath(r, id)), gone, WAIT);
}

async function deleteAndWait(r: ContractResource, id: string) {
  await fp.request("DELETE", itemPath(r, id));
  await waitDeleted(r, id);
}

const expectProblem = async (call: Promise<unknown>, status: number, code: string) => {
  const error = await call.then(
    () => undefined,
    (e) => e,
  );
  expect(error).toBeInstanceOf(ProblemError);
  expect(error).toMatchObject({ status, code });
  return error as ProblemError;
};

describe.each(CONTRACT_RESOURCES)("Terraform contract: $title", (r) => {
  const name = `tf-${r.title.replace(/[^a-z]+/g, "-").replace(/-$/, "")}`;
  let written: Record<string, unknown>;
  let expected: Record<string, unknown>;
  let id: string;
  let firstRead: Item;

  it("creates, answering with every field as written", async () => {
    written = r.create(w, name);
    expected = r.asRead ? r.asRead(written) : written;
    const created = await fp.request<Item>("POST", r.collection(w), { body: written });
    id = created.id;
    expect(id).toEqual(expect.any(String));
    expect(userFields(created, expected)).toEqual(expected);
  });

  if ((r.importBy ?? ["id", "name"]).includes("name"))
    it("refuses a second create of the same name with 409 already_exists, naming it", async () => {
      const problem = await expectProblem(
        fp.request("POST", r.collection(w), { body: r.create(w, name) }),
        409,
        "already_exists",
      );
      expect(problem.detail).toContain(name);
    });

  it("polls the create to completion, then reads every field exactly as written", async () => {
    await settle(r, id);
    firstRead = await fp.request<Item>("GET", itemPath(r, id));
    expect(userFields(firstRead, expected)).toEqual(expected);
    expect(injected(r, firstRead, expected)).toEqual([]);
  });

  it("reads the same again: no perpetual diff", async () => {
    const second = await fp.request<Item>("GET", itemPath(r, id));
    expect(withoutStatus(second)).toEqual(withoutStatus(firstRead));
    expect(JSON.stringify(userFields(second, expected))).toBe(JSON.stringify(userFields(firstRead, expected)));
  });

  // Resources without updates (tokens) have no such step; a provider replaces them instead.
  const update = r.update;
  if (update)
    it("updates, and reads the change back exactly", async () => {
      const after = update.expect(expected);
      const answered = await fp.request<Item>(update.method, itemPath(r, id), { body: update.body(w, written) });
      expect(userFields(answered, after)).toEqual(after);
      for (const key of Object.keys(expected)) if (!(key in after)) expect(answered[key]).toBeUndefined();
      const settled = await settle(r, id);
      expect(userFields(settled, after)).toEqual(after);
      expect(settled.generation ?? 0).toBeGreaterThanOrEqual(firstRead.generation ?? 0);
      const again = await fp.request<Item>("GET", itemPath(r, id));
      expect(withoutStatus(again)).toEqual(withoutStatus(settled));
      firstRead = again;
    });

  it("imports by id and by name to the same state", async () => {
    for (const by of r.importBy ?? ["id", "name"]) {
      const imported = await fp.request<Item>("GET", itemPath(r, by === "id" ? id : name));
      expect(withoutStatus(imported)).toEqual(withoutStatus(firstRead));
    }
  });

  it("deletes; the item then reads as gone; deleting again is harmless", async () => {
    await fp.request("DELETE", itemPath(r, id));
    // A provider retrying its delete while the first one is still running.
    const during = await fp.request("DELETE", itemPath(r, id)).then(
      () => 200,
      (e: ProblemError) => e.status,
    );
    expect([200, 202, 204, 404]).toContain(during);
    await waitDeleted(r, id);
    if (r.deletedReads === "revoked") {
      const revoked = await fp.request<Item>("GET", itemPath(r, id));
      expect(revoked.revokedAt).toEqual(expect.any(String));
    } else {
      await expectProblem(fp.request("GET", itemPath(r, id)), 404, "not_found");
      const listed: Item[] = [];
      for await (const item of fp.list<Item>(r.collection(w))) listed.push(item);
      expect(listed.map((i) => i.id)).not.toContain(id);
    }
    const again = await fp.request("DELETE", itemPath(r, id)).then(
      () => 200,
      (e: ProblemError) => e.status,
    );
    expect([200, 202, 204, 404]).toContain(again);
  });

  it("a create retried after a client-side timeout with the same key creates one", async () => {
    const retried = `${name}-retry`;
    const keys: string[] = [];
    let attempts = 0;
    const slow = createFleetplane({
      baseUrl: "http://fleetplane.test",
      token: ADMIN_TOKEN,
      timeoutMs: 300,
      retry: { baseDelayMs: 1 },
      fetch: async (request) => {
        keys.push(request.headers.get("idempotency-key") ?? "");
        const first = attempts++ === 0;
        const response = await w.t.host.app.fetch(request);
        if (!first) return response;
        // The first answer never reaches the client: the work is done, the client times out.
        // `request.signal` is not waited on, since Node's fetch may stop forwarding the abort to it
        // after a garbage collection; the client must give up on its own clock.
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        throw new TypeError("fetch failed: the answer arrived after the client gave up");
      },
    });
    const outcome = await slow.request<Item>("POST", r.collection(w), { body: r.create(w, retried) }).then(
      (item) => item,
      (e: ProblemError) => e,
    );
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    const matching: Item[] = [];
    for await (const item of fp.list<Item>(r.collection(w))) if (item.name === retried) matching.push(item);
    expect(matching).toHaveLength(1);
    if (r.replayOfSecretResponse) {
      // The first answer carried a secret shown only once, so it is not replayed: the retry
      // is told to look the item up instead of receiving the secret again.
      expect(outcome).toBeInstanceOf(ProblemError);
      expect(outcome).toMatchObject({ status: 409, code: "conflict" });
    } else {
      expect(outcome).not.toBeInstanceOf(ProblemError);
      expect((outcome as Item).id).toBe(matching[0]!.id);
    }
    await settle(r, matching[0]!.id);
    await deleteAndWait(r, matching[0]!.id);
  });
});

it("covers every resource collection the API serves", () => {
  const document = w.t.host.app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "", version: "" } });
  const collections = Object.entries(document.paths ?? {})
    .filter(([, item]) => item && "post" in item && "get" in item)
    .map(([path]) => path.replace("{ref}", w.tenant))
    .filter((path) => !/\/(tokens|rollouts)$/.test(path) || path === "/v1/tokens");
  expect(collections).toEqual(
    expect.arrayContaining(["/v1/clusters", "/v1/tenants", `/v1/tenants/${w.tenant}/secrets`]),
  );
  const covered = new Set(CONTRACT_RESOURCES.map((r) => r.collection(w)));
  const uncovered = collections.filter((path) => !covered.has(path));
  expect(uncovered, "give each new resource an entry in CONTRACT_RESOURCES (test/node/support/contract.ts)").toEqual(
    [],
  );
});
