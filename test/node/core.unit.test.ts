import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { statusOf } from "../../api/platform/problem";
import { limiter } from "../../core/concurrency";
import { loadConfig } from "../../core/config";
import { SecretBox } from "../../core/crypto";
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  StalledError,
  TransientError,
  UnprocessableError,
} from "../../core/errors";
import { newId } from "../../core/ids";
import { backoffDelay } from "../../core/jobs/jobs";
import { JOB_KINDS } from "../../core/jobs/kinds";
import { mergePatch, toWire, type WireValues, wireJson } from "../../core/resource";
import { matchesSelector, parseLabelSelector } from "../../core/selector";
import { LOST_RACE, writeWithRevision } from "../../core/spec-write";
import { isoTime } from "../../core/time";
import { checkOutboundUrl, isAddressAllowed } from "../../core/url-policy";
import { FUNCTIONS, functionFor } from "../../functions/engine";

describe("label selectors", () => {
  const labels = { tier: "prod", region: "eu-west-1", "app.kubernetes.io/name": "api" };
  it.each([
    ["tier=prod", true],
    ["tier==prod", true],
    ["tier!=prod", false],
    ["tier in (dev, prod)", true],
    ["tier notin (prod)", false],
    ["missing notin (x)", true],
    ["app.kubernetes.io/name", true],
    ["!app.kubernetes.io/name", false],
    ["tier=prod,region in (eu-west-1,us-east-1)", true],
    ["tier=prod,region=us-east-1", false],
    ["", true],
  ])("%s → %s", (selector, expected) => {
    expect(matchesSelector(labels, parseLabelSelector(selector))).toBe(expected);
  });

  it.each(["a in (", "=x", "a=b,,c", "a b", "-bad=x", `a=${"v".repeat(64)}`, "a in ()"])("rejects %s", (selector) => {
    expect(() => parseLabelSelector(selector)).toThrow(/Invalid labelSelector/);
  });
});

describe("outbound URL policy", () => {
  const refused = [
    "https://127.0.0.1:6443",
    "https://169.254.169.254/latest/meta-data",
    "https://10.1.2.3",
    "https://172.20.0.1",
    "https://192.168.1.1",
    "https://100.64.0.1",
    "https://[::1]:6443",
    "https://[::ffff:127.0.0.1]",
    "https://[::ffff:a9fe:a9fe]",
    "https://[fd00::1]",
    "https://[fe80::1]",
    "https://localhost:6443",
    "https://api.localhost",
    "https://metadata.google.internal",
    "https://0.0.0.0",
    "https://0x7f.1",
    "http://api.example.com",
    "https://user:pw@api.example.com",
    "not a url",
  ];
  it.each(refused)("refuses %s by default", (url) => {
    expect(() => checkOutboundUrl(url, { purpose: "cluster endpoint", allow: [], location: "body.x" })).toThrow(
      /not allowed/,
    );
  });

  it("allows public hosts, and private ones named in FLEET_URL_ALLOW", () => {
    const opts = { purpose: "cluster endpoint" as const, location: "x" };
    expect(checkOutboundUrl("https://api.example.com:6443", { ...opts, allow: [] }).hostname).toBe("api.example.com");
    expect(checkOutboundUrl("https://10.1.2.3", { ...opts, allow: ["10.0.0.0/8"] }).hostname).toBe("10.1.2.3");
    expect(checkOutboundUrl("https://127.0.0.1", { ...opts, allow: ["127.0.0.1"] }).hostname).toBe("127.0.0.1");
    expect(() => checkOutboundUrl("https://169.254.169.254", { ...opts, allow: ["10.0.0.0/8"] })).toThrow();
  });

  it("judges resolved addresses the same way (DNS names pointing at private space)", () => {
    expect(isAddressAllowed("10.0.0.5", "evil.example.com", [])).toBe(false);
    expect(isAddressAllowed("::ffff:169.254.169.254", "evil.example.com", [])).toBe(false);
    expect(isAddressAllowed("93.184.216.34", "example.com", [])).toBe(true);
    expect(isAddressAllowed("10.0.0.5", "k8s.internal", ["10.0.0.0/8"])).toBe(true);
  });
});

describe("SecretBox", () => {
  it("round-trips, binds the associated data, and never repeats a ciphertext", async () => {
    const box = await SecretBox.fromBase64Key(SecretBox.generateKey());
    const a = await box.seal("token-value", "cls_1");
    const b = await box.seal("token-value", "cls_1");
    expect(a).not.toBe(b);
    expect(a).not.toContain("token-value");
    expect(await box.open(a, "cls_1")).toBe("token-value");
    await expect(box.open(a, "cls_2")).rejects.toThrow();
    const other = await SecretBox.fromBase64Key(SecretBox.generateKey());
    await expect(other.open(a, "cls_1")).rejects.toThrow();
  });

  it("refuses keys of the wrong size", async () => {
    await expect(SecretBox.fromBase64Key("c2hvcnQ")).rejects.toThrow(/32 bytes/);
  });
});

describe("merge patch (RFC 7386)", () => {
  it("follows the RFC's examples", () => {
    expect(mergePatch({ a: "b" }, { a: "c" })).toEqual({ a: "c" });
    expect(mergePatch({ a: "b" }, { b: "c" })).toEqual({ a: "b", b: "c" });
    expect(mergePatch({ a: "b" }, { a: null })).toEqual({});
    expect(mergePatch({ a: [{ b: "c" }] }, { a: [1] })).toEqual({ a: [1] });
    expect(mergePatch({ a: { b: "c" } }, { a: { b: "d", c: null } })).toEqual({ a: { b: "d" } });
  });
});

describe("isoTime", () => {
  it("writes exactly what Date's toISOString writes, across days, years and the range's edges", () => {
    const edges = [
      0, 1, 999, 86_399_999, 86_400_000, 951_782_400_000, 253_402_300_799_999, 253_402_300_800_000, -1, 1.5,
    ];
    for (const ms of edges) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 13), max: 8_640_000_000_000_000 }), (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
  });
});

describe("the wire form rendered from stored columns", () => {
  const json = fc.jsonValue({ maxDepth: 3 });
  const objectOf = (keys: fc.Arbitrary<string>) => fc.dictionary(keys, json, { maxKeys: 6 });
  it("is byte for byte JSON.stringify(toWire(row)) when the columns hold what JSON.stringify wrote", () => {
    // Spec keys are the API's field names: identifiers, never the fields around them, and never
    // integer-like (an object puts those first, so only their order would differ).
    const specKey = fc
      .stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/)
      .filter(
        (k) =>
          !["id", "name", "labels", "status", "generation", "revision", "createdAt", "updatedAt", "__proto__"].includes(
            k,
          ),
      );
    fc.assert(
      fc.property(
        fc.record({
          id: fc.string(),
          name: fc.string(),
          labels: fc.dictionary(
            fc.string({ maxLength: 8 }).filter((k) => k !== "__proto__"),
            fc.string(),
            { maxKeys: 4 },
          ),
          spec: objectOf(specKey),
          status: objectOf(fc.string({ maxLength: 8 }).filter((k) => k !== "__proto__")),
          generation: fc.nat(),
          revision: fc.nat(),
          createdAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
          updatedAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
        }),
        (row) => {
          const values: WireValues = [
            row.id,
            row.name,
            JSON.stringify(row.labels),
            JSON.stringify(row.spec),
            JSON.stringify(row.status),
            row.generation,
            row.revision,
            row.createdAt,
            row.updatedAt,
          ];
          expect(wireJson(values)).toBe(JSON.stringify(toWire(row)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("reads as the same object when SQLite's JSON functions wrote the stored text", () => {
    const values: WireValues = [
      "cls_1",
      "a",
      '{ "tier" : "prod" }',
      "{ }",
      '{"phase":"Provisioned","n":1.50}',
      2,
      3,
      0,
      1,
    ];
    const row = {
      id: "cls_1",
      name: "a",
      labels: { tier: "prod" },
      spec: {},
      status: { phase: "Provisioned", n: 1.5 },
      generation: 2,
      revision: 3,
      createdAt: 0,
      updatedAt: 1,
    };
    expect(JSON.parse(wireJson(values))).toEqual(toWire(row));
  });
});

describe("job backoff", () => {
  const config = loadConfig({ FLEET_JOB_BACKOFF_BASE_MS: "1000", FLEET_JOB_BACKOFF_MAX_MS: "60000" });
  it("grows exponentially within [ceiling/2, ceiling] and never passes the cap", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const ceiling = Math.min(60_000, 1000 * 2 ** (attempt - 1));
        const delay = backoffDelay(config, attempt, () => r);
        return delay >= Math.floor(ceiling / 2) && delay <= ceiling;
      }),
    );
  });
});

describe("ids", () => {
  it("sort in the order they were minted, also within one millisecond", () => {
    const at = Date.UTC(2026, 11, 6, 12, 0, 0);
    const ids = Array.from({ length: 200 }, (_, i) => newId("evt", at + Math.floor(i / 50)));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    // The time part still leads: a later millisecond sorts after, whatever came before.
    expect(newId("evt", at + 10) > (ids[ids.length - 1] as string)).toBe(true);
  });
});

describe("job kinds", () => {
  it("each kind runs the function of that kind, and a stored kind this build does not know runs nothing", () => {
    for (const kind of JOB_KINDS) expect(FUNCTIONS[kind].kind).toBe(kind);
    expect(functionFor("retiredKind")).toBeUndefined();
    expect(functionFor("toString")).toBeUndefined();
  });
});

describe("error statuses", () => {
  it("are looked up, never guessed: an unknown code is a 500, not a 422 the client could fix", () => {
    expect(statusOf(new UnprocessableError("immutable_field", "no"))).toBe(422);
    expect(statusOf(new NotFoundError("Cluster", "x"))).toBe(404);
    expect(statusOf(new TransientError("ServerError", "later"))).toBe(503);
    expect(statusOf(new StalledError("ClassMissing", "gone"))).toBe(500);
    expect(statusOf(new UnprocessableError("made_up" as never, "no"))).toBe(500);
  });
});

describe("writes with a revision", () => {
  const subject = (ifMatch?: number) => ({ what: "widget", doing: "updated", ifMatch });
  const losingFor = (losses: number) => {
    let revision = 1;
    let calls = 0;
    return {
      read: async () => ({ revision }),
      write: async (current: { revision: number }) => {
        calls++;
        if (calls <= losses) {
          revision = current.revision + 1; // someone else wrote first
          return LOST_RACE;
        }
        return `written at ${current.revision}`;
      },
      calls: () => calls,
    };
  };

  it("takes the decision again on the fresh row when another writer won", async () => {
    const w = losingFor(2);
    await expect(writeWithRevision(subject(), w.read, w.write)).resolves.toBe("written at 3");
    expect(w.calls()).toBe(3);
  });

  it("answers 412 when the caller named a revision that is no longer stored, before deciding anything", async () => {
    const w = losingFor(0);
    const refused = writeWithRevision(subject(7), w.read, w.write);
    await expect(refused).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(refused).rejects.toThrow("Revision is 1, not 7");
    expect(w.calls()).toBe(0);
  });

  it("answers 412 when a named revision loses the race, without trying again", async () => {
    const w = losingFor(1);
    await expect(writeWithRevision(subject(1), w.read, w.write)).rejects.toThrow(
      "The widget changed while it was being updated",
    );
    expect(w.calls()).toBe(1);
  });

  it("gives up with 409 rather than spinning when it keeps losing", async () => {
    const w = losingFor(100);
    await expect(writeWithRevision(subject(), w.read, w.write)).rejects.toBeInstanceOf(ConflictError);
    expect(w.calls()).toBe(5);
  });
});

describe("sha256Hex", () => {
  it("gives the same hex with the Node host's synchronous hash as with WebCrypto", async () => {
    const { sha256Hex, useSyncSha256 } = await import("../../core/crypto");
    const { nodeSha256 } = await import("../../entry/node-crypto");
    const webCrypto = async (text: string) =>
      [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))]
        .map((b) => b.toString(16).padStart(2, "0"))
        .join("");
    useSyncSha256(nodeSha256);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "grapheme", maxLength: 200 }), async (text) => {
        expect(await sha256Hex(text)).toBe(await webCrypto(text));
      }),
    );
  });
});

describe("SecretBox with the Node host's synchronous cipher", () => {
  afterEach(async () => (await import("../../core/crypto")).useSyncAesGcm(undefined));

  it("opens with WebCrypto what the Node host's synchronous cipher sealed, and the other way round", async () => {
    const { SecretBox, useSyncAesGcm } = await import("../../core/crypto");
    const { nodeAesGcm } = await import("../../entry/node-crypto");
    const box = await SecretBox.fromBase64Key(SecretBox.generateKey());
    const sealWith = async (sync: boolean, text: string, aad: string) => {
      useSyncAesGcm(sync ? nodeAesGcm : undefined);
      return box.seal(text, aad);
    };
    const openWith = async (sync: boolean, sealed: string, aad: string) => {
      useSyncAesGcm(sync ? nodeAesGcm : undefined);
      return box.open(sealed, aad);
    };
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "grapheme", maxLength: 300 }),
        fc.string(),
        fc.boolean(),
        async (text, aad, sync) => {
          expect(await openWith(!sync, await sealWith(sync, text, aad), aad)).toBe(text);
        },
      ),
    );
  });

  it("refuses on both paths a value sealed for other associated data or altered", async () => {
    const { SecretBox, useSyncAesGcm } = await import("../../core/crypto");
    const { nodeAesGcm } = await import("../../entry/node-crypto");
    const box = await SecretBox.fromBase64Key(SecretBox.generateKey());
    const sealed = await box.seal('{"token":"t"}', "cls_1");
    const [version, iv, data] = sealed.split(".");
    const at = Math.floor(data!.length / 2);
    const flipped = `${version}.${iv}.${data!.slice(0, at)}${data![at] === "A" ? "B" : "A"}${data!.slice(at + 1)}`;
    for (const cipher of [nodeAesGcm, undefined]) {
      useSyncAesGcm(cipher);
      await expect(box.open(sealed, "cls_2")).rejects.toThrow();
      await expect(box.open(flipped, "cls_1")).rejects.toThrow();
      await expect(box.open(`${version}.${iv}.AAAA`, "cls_1")).rejects.toThrow();
      expect(await box.open(sealed, "cls_1")).toBe('{"token":"t"}');
    }
  });
});

describe("limiter", () => {
  it("never runs more than its bound at once, hands slots on, and keeps each task's result", async () => {
    const run = limiter(3);
    let inFlight = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        run(async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, (i * 7) % 5));
          inFlight--;
          if (i === 4) throw new Error("task 4 fails");
          return i * 2;
        }).catch((error: Error) => error.message),
      ),
    );
    expect(most).toBe(3);
    expect(results[4]).toBe("task 4 fails");
    expect(results.filter((r) => typeof r === "number")).toEqual(
      Array.from({ length: 20 }, (_, i) => i * 2).filter((_, i) => i !== 4),
    );
    // A failed task gave its slot back: the limiter still runs three at once.
    inFlight = 0;
    most = 0;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        run(async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 2));
          inFlight--;
        }),
      ),
    );
    expect(most).toBe(3);
  });
});
