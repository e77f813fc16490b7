import { describe, expect, it } from "vitest";
import { ProgressRenderer, renderBar } from "../../cli/progress";
import { watch } from "../../cli/watch";

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, out: { isTTY, columns: 100, write: (chunk: string) => writes.push(chunk) } };
}

describe("the progress renderer", () => {
  it("draws bars proportional to progress", () => {
    expect(renderBar(0, 4, 8)).toBe("░░░░░░░░");
    expect(renderBar(2, 4, 8)).toBe("████░░░░");
    expect(renderBar(4, 4, 8)).toBe("████████");
    expect(renderBar(9, 4, 8)).toBe("████████");
    expect(renderBar(0, 0, 4)).toBe("░░░░");
  });

  it("redraws in place on a terminal", () => {
    const { writes, out } = stream(true);
    const progress = new ProgressRenderer(out, { barWidth: 10 });
    progress.update([
      { label: "staging", done: 1, total: 1, state: "Succeeded" },
      { label: "prod-eu", done: 0, total: 4, state: "Progressing" },
    ]);
    progress.update([
      { label: "staging", done: 1, total: 1, state: "Succeeded" },
      { label: "prod-eu", done: 2, total: 4, state: "Progressing" },
    ]);
    expect(writes).toHaveLength(2);
    expect(writes[0]).not.toContain("\u001b[2A");
    expect(writes[0]).toContain("staging  ██████████  1/1  Succeeded");
    // The second frame moves up over the two lines of the first and clears each line it redraws.
    expect(writes[1]!.startsWith("\u001b[2A")).toBe(true);
    expect(writes[1]!.split("\u001b[2K")).toHaveLength(3);
    expect(writes[1]).toContain("prod-eu  █████░░░░░  2/4  Progressing");
  });

  it("writes plain lines, only for changes, when not a terminal", () => {
    const { writes, out } = stream(false);
    const progress = new ProgressRenderer(out);
    const frame = (eu: number, state: string) => [
      { label: "staging", done: 1, total: 1, state: "Succeeded" },
      { label: "prod-eu", done: eu, total: 4, state },
    ];
    progress.update(frame(0, "Progressing"));
    progress.update(frame(0, "Progressing"));
    progress.update(frame(2, "Progressing"));
    progress.log("wave prod-eu waits for approval");
    progress.update(frame(2, "Paused"));
    expect(writes.join("")).toBe(
      [
        "staging: 1/1 Succeeded",
        "prod-eu: 0/4 Progressing",
        "prod-eu: 2/4 Progressing",
        "wave prod-eu waits for approval",
        "prod-eu: 2/4 Paused",
        "",
      ].join("\n"),
    );
    expect(writes.join("")).not.toContain("\u001b");
  });

  it("prints messages above the bars on a terminal and draws them again below", () => {
    const { writes, out } = stream(true);
    const progress = new ProgressRenderer(out);
    progress.update([{ label: "w1", done: 0, total: 2 }]);
    progress.log("approval needed");
    progress.update([{ label: "w1", done: 1, total: 2 }]);
    expect(writes[1]).toBe("\u001b[1A\r\u001b[0Japproval needed\n");
    expect(writes[2]!.startsWith("\r\u001b[2Kw1")).toBe(true);
  });
});

describe("watch", () => {
  it("polls until the operation finishes, saying each message once", async () => {
    const { writes, out } = stream(false);
    const states = [
      { waves: [{ name: "staging", done: 0, total: 1 }], phase: "Progressing", note: undefined },
      { waves: [{ name: "staging", done: 1, total: 1 }], phase: "Paused", note: "waits for approval" },
      { waves: [{ name: "staging", done: 1, total: 1 }], phase: "Paused", note: "waits for approval" },
      { waves: [{ name: "staging", done: 1, total: 1 }], phase: "Succeeded", note: undefined },
    ];
    let polls = 0;
    const waits: number[] = [];
    const result = await watch(
      out,
      async () => states[Math.min(polls++, states.length - 1)]!,
      (s) => ({
        items: s.waves.map((w) => ({ label: w.name, done: w.done, total: w.total, state: s.phase })),
        ...(s.note ? { messages: [s.note] } : {}),
        ...(s.phase === "Succeeded" ? { outcome: { succeeded: true, message: "rollout succeeded" } } : {}),
      }),
      { intervalMs: 5, sleep: async (ms) => void waits.push(ms) },
    );
    expect(result.succeeded).toBe(true);
    expect(polls).toBe(4);
    expect(waits).toEqual([5, 5, 5]);
    expect(writes.join("")).toBe(
      [
        "staging: 0/1 Progressing",
        "waits for approval",
        "staging: 1/1 Paused",
        "staging: 1/1 Succeeded",
        "rollout succeeded",
        "",
      ].join("\n"),
    );
  });
});
