import { useEffect, useState } from "preact/hooks";
import type { Application, components, Fleetplane, Rollout } from "../../sdk";
import { useLiveData } from "./live";
import { describeProblem, listAll } from "./session";
import { Pill } from "./ui";

type Wave = components["schemas"]["RolloutWaveStatus"];

/** Applications with what the fleet runs of each and their latest rollout. */
export function ApplicationsView({ fp }: { fp: Fleetplane }) {
  const { data: apps, error } = useLiveData(() => listAll<Application>(fp, "/v1/applications"), [fp], {});
  return (
    <>
      <h1>Applications</h1>
      {error && (
        <p role="alert" class="problem">
          {error}
        </p>
      )}
      {apps && apps.length === 0 && <p>No applications yet.</p>}
      {apps && apps.length > 0 && (
        <table>
          <caption class="visually-hidden">Applications and their latest rollouts</caption>
          <thead>
            <tr>
              <th scope="col">Application</th>
              <th scope="col">Phase</th>
              <th scope="col">Wanted</th>
              <th scope="col">Running</th>
              <th scope="col">Latest rollout</th>
            </tr>
          </thead>
          <tbody>
            {apps.map((app) => (
              <tr key={app.id}>
                <th scope="row">{app.name}</th>
                <td>
                  <Pill value={app.status.phase} />
                </td>
                <td>
                  <code>{app.status.summary.wantedRevision}</code>
                </td>
                <td>
                  {Object.entries(app.status.summary.running)
                    .map(([revision, count]) => `${revision} on ${count}`)
                    .join(", ") || "—"}
                </td>
                <td>
                  {app.status.latestRollout ? (
                    <a href={`#/rollouts/${encodeURIComponent(app.status.latestRollout.id)}`}>
                      #{app.status.latestRollout.number} {app.status.latestRollout.kind}{" "}
                      <Pill value={app.status.latestRollout.phase} />
                    </a>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

type Verb = "pause" | "resume" | "approve" | "abort" | "rollback";

const FINISHED = new Set(["Succeeded", "Failed", "Aborted", "RolledBack"]);

/** Which verbs make sense for a rollout as last read; the API still decides, and its refusal is shown. */
function verbsFor(rollout: Rollout): Set<Verb> {
  const phase = rollout.status.phase;
  if (rollout.kind === "rollback" || rollout.rolledBackBy)
    return new Set(phase === "Paused" ? ["resume", "abort"] : []);
  if (phase === "WaitingApproval") return new Set(["approve", "pause", "abort"]);
  if (phase === "Paused") return new Set(["resume", "abort", "rollback"]);
  if (phase === "Progressing" || phase === "Pending") return new Set(["pause", "abort"]);
  if (phase === "RollingBack") return new Set();
  return new Set(["rollback"]);
}

const VERB_LABEL: Record<Verb, string> = {
  approve: "Approve wave",
  pause: "Pause",
  resume: "Resume",
  abort: "Abort",
  rollback: "Roll back",
};

/** One rollout, live: waves with their clusters, bake timers and metric gates, and its verbs. */
export function RolloutView({ fp, id }: { fp: Fleetplane; id: string }) {
  const ref = encodeURIComponent(id);
  const {
    data: rollout,
    error,
    reload,
  } = useLiveData(
    () => fp.request<Rollout>("GET", `/v1/rollouts/${ref}`),
    [fp, ref],
    { resource: id },
    // Phase changes come as events; clusters finishing inside a wave do not, so look every 2 s
    // while it moves.
    (r) => (r && !FINISHED.has(r.status.phase) ? 2000 : undefined),
  );
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);
  const now = useClock(rollout?.status.waves.some((w) => w.state === "Baking") ?? false);

  const act = async (verb: Verb) => {
    setBusy(true);
    setOutcome(undefined);
    try {
      const after = await fp.request<Rollout>("POST", `/v1/rollouts/${ref}/${verb}`);
      setOutcome({ ok: true, text: `${VERB_LABEL[verb]}: ${after.status.phase} — ${after.status.message}` });
    } catch (e) {
      setOutcome({ ok: false, text: describeProblem(e) });
    } finally {
      setBusy(false);
      // Accepted or refused, the rollout may not be what this view last read (a refusal often
      // means someone else acted first): read it again.
      reload();
    }
  };

  if (!rollout) {
    return error ? (
      <p role="alert" class="problem">
        {error}
      </p>
    ) : (
      <p aria-busy="true">Loading…</p>
    );
  }
  const { status } = rollout;
  const allowed = verbsFor(rollout);
  const subject =
    rollout.subject.kind === "Application" ? (
      <a href="#/applications">{rollout.subject.name}</a>
    ) : (
      <>add-on {rollout.subject.name}</>
    );
  return (
    <>
      <h1>
        {subject} · {rollout.kind} #{rollout.number} <Pill value={status.phase} />
      </h1>
      {error && (
        <p role="alert" class="problem">
          {error}
        </p>
      )}
      <p>
        {status.message} <span class="muted">({status.reason})</span>
      </p>
      {status.waitingFor.length > 0 && (
        <section aria-labelledby="waiting">
          <h2 id="waiting">Waiting for</h2>
          <ul>
            {status.waitingFor.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      )}
      <fieldset class="actions">
        <legend class="visually-hidden">Rollout actions</legend>
        {(Object.keys(VERB_LABEL) as Verb[]).map((verb) => (
          <button
            key={verb}
            type="button"
            class={verb === "abort" || verb === "rollback" ? "danger" : undefined}
            disabled={busy || !allowed.has(verb)}
            onClick={() => act(verb)}
          >
            {VERB_LABEL[verb]}
          </button>
        ))}
      </fieldset>
      {outcome && (
        <p role={outcome.ok ? "status" : "alert"} class={outcome.ok ? "muted" : "problem"}>
          {outcome.text}
        </p>
      )}
      <p class="muted">
        Started by {rollout.createdBy} at {rollout.createdAt}
        {rollout.finishedAt ? ` · finished ${rollout.finishedAt}` : ""}
        {rollout.rollbackOf ? ` · rolls back ${rollout.rollbackOf}` : ""}
        {rollout.rolledBackBy ? (
          <>
            {" "}
            · rolled back by <a href={`#/rollouts/${encodeURIComponent(rollout.rolledBackBy)}`}>this rollback</a>
          </>
        ) : (
          ""
        )}
      </p>
      <ol class="waves" aria-label="Waves">
        {status.waves.map((wave) => (
          <WaveCard key={wave.index} wave={wave} now={now} current={status.currentWave === wave.name} />
        ))}
      </ol>
      {FINISHED.has(status.phase) && <p class="muted">This rollout is finished.</p>}
    </>
  );
}

function WaveCard({ wave, now, current }: { wave: Wave; now: number; current: boolean }) {
  const counts = Object.entries(wave.counts).filter(([, n]) => n && n > 0);
  return (
    <li class={`wave${current ? " current" : ""}`} aria-current={current ? "step" : undefined}>
      <h2>
        Wave {wave.index + 1}: {wave.name} <Pill value={wave.state} />
      </h2>
      <p class="muted">
        {counts.map(([state, n]) => `${n} ${state}`).join(" · ") || "no clusters"} · at most {wave.maxConcurrency} at
        once, {wave.maxFailures} failure{wave.maxFailures === 1 ? "" : "s"} tolerated
        {wave.approvedBy ? ` · approved by ${wave.approvedBy}` : ""}
      </p>
      {wave.state === "Baking" && wave.bakeUntil && (
        <p role="timer" aria-live="off">
          Baking: {remaining(Date.parse(wave.bakeUntil) - now)} left (until {wave.bakeUntil})
        </p>
      )}
      {wave.analysis && (
        <table>
          <caption>
            Metric gates: {wave.analysis.failedChecks} of {wave.analysis.checks} checks failed
          </caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Value</th>
              <th scope="col">Result</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {wave.analysis.results.map((r) => (
              <tr key={`${r.metric}${r.at}`}>
                <th scope="row">{r.metric}</th>
                <td>{r.value ?? "—"}</td>
                <td>
                  <Pill value={r.passed ? "Passed" : "Failed"} good={r.passed} />
                </td>
                <td>{r.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <table>
        <caption class="visually-hidden">Clusters of wave {wave.name}</caption>
        <thead>
          <tr>
            <th scope="col">Cluster</th>
            <th scope="col">State</th>
            <th scope="col">Message</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {wave.clusters.map((c) => (
            <tr key={c.clusterId}>
              <th scope="row">
                <a href={`#/clusters/${encodeURIComponent(c.cluster)}`}>{c.cluster}</a>
              </th>
              <td>
                <Pill value={c.state} />
              </td>
              <td>{c.message}</td>
              <td>{c.finishedAt ?? c.startedAt ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </li>
  );
}

/** The time, ticking each second while something counts down. */
function useClock(ticking: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

function remaining(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}
