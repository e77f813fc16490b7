import type { Application, Cluster, Event, Fleetplane, Job, Tenant } from "../../sdk";
import { ProblemError } from "../../sdk";
import { useLiveData } from "./live";
import { listAll } from "./session";
import { conditionIsGood, Pill } from "./ui";

interface Manifests {
  path?: string;
  values?: Record<string, string>;
  valueSources?: Record<string, string>;
}

interface ClusterData {
  cluster: Cluster;
  events: Event[];
  jobs: Job[] | "hidden";
  manifests: Manifests | undefined;
  /** The tenants placed here and the applications running here, each with its state on this cluster. */
  tenants: { name: string; state: string; message: string }[];
  apps: { name: string; revision: string; health: string; sync: string }[];
}

async function loadCluster(fp: Fleetplane, name: string): Promise<ClusterData> {
  const ref = encodeURIComponent(name);
  const cluster = await fp.request<Cluster>("GET", `/v1/clusters/${ref}`);
  const since = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString();
  const events: Event[] = [];
  for await (const e of fp.list<Event>("/v1/events", { resource: cluster.id, since, pageSize: 200 })) events.push(e);
  let jobs: ClusterData["jobs"];
  try {
    jobs = (await fp.request<{ items: Job[] }>("GET", "/v1/jobs", { query: { cluster: cluster.id, pageSize: 20 } }))
      .items;
  } catch (error) {
    if (error instanceof ProblemError && error.status === 403) jobs = "hidden";
    else throw error;
  }
  const manifests = await fp.request<Manifests>("GET", `/v1/clusters/${ref}/manifests`).catch(() => undefined);
  // What the token may list: a tenant's token sees its own tenant and applications.
  const [tenants, apps] = await Promise.all([
    listAll<Tenant>(fp, "/v1/tenants"),
    listAll<Application>(fp, "/v1/applications"),
  ]);
  return {
    cluster,
    events: events.slice(-50).reverse(),
    jobs,
    manifests,
    tenants: tenants.flatMap((t) =>
      t.status.clusters
        .filter((c) => c.clusterId === cluster.id)
        .map((c) => ({ name: t.name, state: c.state, message: c.message })),
    ),
    apps: apps.flatMap((a) =>
      a.status.clusters
        .filter((c) => c.clusterId === cluster.id)
        .map((c) => ({ name: a.name, revision: c.targetRevision, health: c.health, sync: c.sync })),
    ),
  };
}

/** One cluster: conditions with reasons, add-ons, values and their layers, jobs and events. */
export function ClusterView({ fp, name }: { fp: Fleetplane; name: string }) {
  const { data, error } = useLiveData(() => loadCluster(fp, name), [fp, name], { resource: name });

  if (error)
    return (
      <>
        <h1>{name}</h1>
        <p role="alert" class="problem">
          {error}
        </p>
      </>
    );
  if (!data) return <p aria-busy="true">Loading…</p>;
  const { cluster, events, jobs, manifests, tenants, apps } = data;
  return (
    <>
      <p>
        <a href="#/">← Fleet</a>
      </p>
      <h1>
        {cluster.name} <Pill value={cluster.status.phase} />
      </h1>
      <p class="muted">
        {cluster.provider} · {cluster.environment ?? "no environment"} ·{" "}
        {cluster.status.serverVersion ?? "version unknown"}
        {cluster.status.agent?.lastHeartbeatAt ? ` · agent last seen ${cluster.status.agent.lastHeartbeatAt}` : ""}
      </p>

      <p>
        <a href={`#/clusters/${encodeURIComponent(cluster.name)}/drift`}>
          Drift: {cluster.status.drift?.state ?? "not reconciled yet"}
        </a>
      </p>

      <h2>Conditions</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Reason</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {cluster.status.conditions.map((c) => (
            <tr key={c.type}>
              <td>{c.type}</td>
              <td>
                <Pill value={c.status} good={conditionIsGood(c)} />
              </td>
              <td>{c.reason}</td>
              <td>{c.message}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Add-ons</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Add-on</th>
            <th scope="col">Wanted</th>
            <th scope="col">Found</th>
            <th scope="col">Phase</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {(cluster.status.addons ?? []).map((a) => (
            <tr key={a.name}>
              <td>{a.name}</td>
              <td>{a.version}</td>
              <td>{a.versionFound ?? "—"}</td>
              <td>
                <Pill value={a.phase} />
              </td>
              <td>{a.message}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {manifests?.values && (
        <>
          <h2>Values</h2>
          <p class="muted">Flux follows {manifests.path}; each value shows the layer it came from.</p>
          <table>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(manifests.values).map(([k, v]) => (
                <tr key={k}>
                  <td>{k}</td>
                  <td>{v}</td>
                  <td>{manifests.valueSources?.[k] ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h2>Tenants placed here</h2>
      {tenants.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul>
          {tenants.map((t) => (
            <li key={t.name}>
              <a href={`#/tenants/${encodeURIComponent(t.name)}`}>{t.name}</a> <Pill value={t.state} /> {t.message}
            </li>
          ))}
        </ul>
      )}

      <h2>Applications here</h2>
      {apps.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul>
          {apps.map((a) => (
            <li key={a.name}>
              <a href="#/applications">{a.name}</a> <code>{a.revision}</code> <Pill value={a.sync} />{" "}
              <Pill value={a.health} />
            </li>
          ))}
        </ul>
      )}

      <h2>Jobs</h2>
      {jobs === "hidden" ? (
        <p class="muted">Jobs are shown to platform administrators.</p>
      ) : (
        <ul class="jobs">
          {jobs.map((j) => (
            <li key={j.id}>
              <Pill value={j.state} /> {j.kind} — {j.message ?? j.lastError ?? ""}{" "}
              <span class="muted">{j.updatedAt}</span>
            </li>
          ))}
        </ul>
      )}

      <h2>Events</h2>
      <ol class="timeline" aria-label="Events, newest first">
        {events.map((e) => (
          <li key={e.id} class={e.type === "Warning" ? "warning" : undefined}>
            <time dateTime={e.time}>{e.time.replace("T", " ").slice(0, 19)}</time> <strong>{e.reason}</strong>{" "}
            {e.message}
          </li>
        ))}
      </ol>
    </>
  );
}
