import { useState } from "preact/hooks";
import type { Cluster, Fleetplane, Job } from "../../sdk";
import { ProblemError } from "../../sdk";
import { useLiveData } from "./live";
import { conditionOf, Pill } from "./ui";

/** The most clusters the overview reads; beyond it the selector narrows the view. */
const MAX_CLUSTERS = 2000;

interface FleetData {
  clusters: Cluster[];
  truncated: boolean;
  failedJobs: Job[] | "hidden";
}

async function loadFleet(fp: Fleetplane, selector: string): Promise<FleetData> {
  const clusters: Cluster[] = [];
  let truncated = false;
  for await (const c of fp.list<Cluster>(
    "/v1/clusters",
    selector ? { labelSelector: selector, pageSize: 200 } : { pageSize: 200 },
  )) {
    if (clusters.length >= MAX_CLUSTERS) {
      truncated = true;
      break;
    }
    clusters.push(c);
  }
  let failedJobs: FleetData["failedJobs"];
  try {
    failedJobs = (await fp.request<{ items: Job[] }>("GET", "/v1/jobs", { query: { state: "Failed", pageSize: 20 } }))
      .items;
  } catch (error) {
    // Jobs are the platform's: a tenant's token is not shown them.
    if (error instanceof ProblemError && error.status === 403) failedJobs = "hidden";
    else throw error;
  }
  return { clusters, truncated, failedJobs };
}

function countBy<T>(items: T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

const health = (c: Cluster) => {
  const status = conditionOf(c, "Ready")?.status;
  return status === "True" ? "Ready" : status === "False" ? "Not ready" : "Unknown";
};
const driftOf = (c: Cluster) => c.status.drift?.state ?? "not reconciled";

/** Fleet at a glance: counts by phase, health, drift and environment; add-on versions; failing jobs. */
export function FleetView({ fp }: { fp: Fleetplane }) {
  const [selector, setSelector] = useState(() => new URLSearchParams(location.hash.split("?")[1]).get("l") ?? "");
  const [draft, setDraft] = useState(selector);
  const { data, error } = useLiveData(() => loadFleet(fp, selector), [fp, selector], {});

  const clusters = data?.clusters ?? [];
  const addonVersions = new Map<string, Map<string, number>>();
  for (const c of clusters) {
    for (const a of c.status.addons ?? []) {
      const versions = addonVersions.get(a.name) ?? new Map<string, number>();
      const version = a.versionFound ?? a.version ?? "?";
      versions.set(version, (versions.get(version) ?? 0) + 1);
      addonVersions.set(a.name, versions);
    }
  }

  return (
    <>
      <h1>Fleet</h1>
      <search>
        <form
          class="filter"
          onSubmit={(e) => {
            e.preventDefault();
            setSelector(draft.trim());
          }}
        >
          <label for="selector">Label selector</label>
          <input
            id="selector"
            placeholder="tier=prod,region in (eu-west-1)"
            value={draft}
            onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
          />
          <button type="submit">Filter</button>
        </form>
      </search>
      {error && (
        <p role="alert" class="problem">
          {error}
        </p>
      )}
      {data && (
        <>
          <section class="cards" aria-label="Counts">
            <Counts title="Phase" counts={countBy(clusters, (c) => c.status.phase)} />
            <Counts title="Ready" counts={countBy(clusters, health)} />
            <Counts title="Drift" counts={countBy(clusters, driftOf)} />
            <Counts title="Environment" counts={countBy(clusters, (c) => c.environment ?? "none")} />
          </section>
          <h2>
            Clusters{" "}
            <span class="muted">
              ({clusters.length}
              {data.truncated ? "+" : ""})
            </span>
          </h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Environment</th>
                <th scope="col">Phase</th>
                <th scope="col">Ready</th>
                <th scope="col">Drift</th>
                <th scope="col">Version</th>
                <th scope="col">Add-ons</th>
              </tr>
            </thead>
            <tbody>
              {clusters.map((c) => {
                const ready = conditionOf(c, "Ready");
                return (
                  <tr key={c.id}>
                    <td>
                      <a href={`#/clusters/${encodeURIComponent(c.name)}`}>{c.name}</a>
                    </td>
                    <td>{c.environment ?? "—"}</td>
                    <td>
                      <Pill value={c.status.phase} />
                    </td>
                    <td title={ready?.message}>
                      <Pill value={ready?.status === "True" ? "Ready" : (ready?.reason ?? "Unknown")} />
                    </td>
                    <td>
                      <a
                        href={`#/clusters/${encodeURIComponent(c.name)}/drift`}
                        aria-label={`Drift on ${c.name}: ${driftOf(c)}`}
                      >
                        <Pill value={driftOf(c)} />
                      </a>
                    </td>
                    <td>{c.status.serverVersion ?? c.version ?? "—"}</td>
                    <td>{(c.status.addons ?? []).map((a) => `${a.name} ${a.versionFound ?? a.version}`).join(", ")}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h2>Add-on versions</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Add-on</th>
                <th scope="col">Versions found (clusters)</th>
              </tr>
            </thead>
            <tbody>
              {[...addonVersions].map(([name, versions]) => (
                <tr key={name}>
                  <td>{name}</td>
                  <td>
                    {[...versions].map(([v, n]) => (
                      <span key={v} class="chip">
                        {v} ({n})
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Failed jobs</h2>
          {data.failedJobs === "hidden" ? (
            <p class="muted">Jobs are shown to platform administrators.</p>
          ) : data.failedJobs.length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <ul class="jobs">
              {data.failedJobs.map((j) => (
                <li key={j.id}>
                  <strong>{j.kind}</strong> {j.clusterName ? `on ${j.clusterName}` : ""}: {j.lastError ?? j.message}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {!data && !error && <p aria-busy="true">Loading…</p>}
    </>
  );
}

function Counts({ title, counts }: { title: string; counts: [string, number][] }) {
  return (
    <div class="card">
      <h2>{title}</h2>
      <dl>
        {counts.map(([name, n]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
