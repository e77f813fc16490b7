import type { Fleetplane, Secret, Tenant, Token } from "../../sdk";
import { ProblemError } from "../../sdk";
import { useLiveData } from "./live";
import { listAll } from "./session";
import { conditionIsGood, Pill } from "./ui";

/** Tenants with how many of the clusters they are placed on are ready. */
export function TenantsView({ fp }: { fp: Fleetplane }) {
  const { data: tenants, error } = useLiveData(() => listAll<Tenant>(fp, "/v1/tenants"), [fp], {});
  return (
    <>
      <h1>Tenants</h1>
      {error && (
        <p role="alert" class="problem">
          {error}
        </p>
      )}
      {tenants && tenants.length === 0 && <p>No tenants.</p>}
      {tenants && tenants.length > 0 && (
        <table>
          <caption class="visually-hidden">Tenants and their placement</caption>
          <thead>
            <tr>
              <th scope="col">Tenant</th>
              <th scope="col">Namespace</th>
              <th scope="col">Phase</th>
              <th scope="col">Clusters ready</th>
              <th scope="col">Placement</th>
            </tr>
          </thead>
          <tbody>
            {tenants.map((tenant) => (
              <tr key={tenant.id}>
                <th scope="row">
                  <a href={`#/tenants/${encodeURIComponent(tenant.name)}`}>{tenant.name}</a>
                </th>
                <td>{tenant.namespace}</td>
                <td>
                  <Pill value={tenant.status.phase} />
                </td>
                <td>
                  {tenant.status.summary.ready} of {tenant.status.summary.desired}
                </td>
                <td>
                  <code>{tenant.placement.labelSelector || "(every cluster)"}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

interface TenantData {
  tenant: Tenant;
  secrets: Secret[];
  tokens: Token[] | "hidden";
}

async function loadTenant(fp: Fleetplane, ref: string): Promise<TenantData> {
  const [tenant, secrets] = await Promise.all([
    fp.request<Tenant>("GET", `/v1/tenants/${ref}`),
    listAll<Secret>(fp, `/v1/tenants/${ref}/secrets`),
  ]);
  let tokens: TenantData["tokens"];
  try {
    // The token list is the platform's; which of them are this tenant's is only a display choice.
    tokens = (await listAll<Token>(fp, "/v1/tokens")).filter((t) => t.tenant === tenant.id);
  } catch (error) {
    if (error instanceof ProblemError && error.status === 403) tokens = "hidden";
    else throw error;
  }
  return { tenant, secrets, tokens };
}

/** One tenant: where it is placed and how each placement is, its secrets' sync (never a value), its tokens. */
export function TenantView({ fp, name }: { fp: Fleetplane; name: string }) {
  const ref = encodeURIComponent(name);
  const { data, error } = useLiveData(() => loadTenant(fp, ref), [fp, ref], { resource: name });
  if (!data) {
    return error ? (
      <p role="alert" class="problem">
        {error}
      </p>
    ) : (
      <p aria-busy="true">Loading…</p>
    );
  }
  const { tenant, secrets, tokens } = data;
  return (
    <>
      <p>
        <a href="#/tenants">← Tenants</a>
      </p>
      <h1>
        {tenant.name} <Pill value={tenant.status.phase} />
      </h1>
      <p class="muted">
        Namespace <code>{tenant.namespace}</code> · source <code>{tenant.source.url}</code> · placed where{" "}
        <code>{tenant.placement.labelSelector || "(every cluster)"}</code>
      </p>
      <h2>Conditions</h2>
      <ul>
        {tenant.status.conditions.map((c) => (
          <li key={c.type}>
            <strong>{c.type}</strong> <Pill value={c.status} good={conditionIsGood(c)} /> {c.reason}: {c.message}
          </li>
        ))}
      </ul>
      <h2>Placement</h2>
      {tenant.status.clusters.length === 0 ? (
        <p class="muted">No cluster matches the placement.</p>
      ) : (
        <table>
          <caption class="visually-hidden">The tenant on each cluster</caption>
          <thead>
            <tr>
              <th scope="col">Cluster</th>
              <th scope="col">State</th>
              <th scope="col">Wanted</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {tenant.status.clusters.map((c) => (
              <tr key={c.clusterId}>
                <th scope="row">
                  <a href={`#/clusters/${encodeURIComponent(c.cluster)}`}>{c.cluster}</a>
                </th>
                <td>
                  <Pill value={c.state} />
                </td>
                <td>{c.desired}</td>
                <td>{c.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Secrets</h2>
      {secrets.length === 0 ? (
        <p class="muted">No secrets.</p>
      ) : (
        <table>
          <caption class="visually-hidden">The tenant's secrets and their sync on each cluster</caption>
          <thead>
            <tr>
              <th scope="col">Secret</th>
              <th scope="col">Keys</th>
              <th scope="col">Held in</th>
              <th scope="col">Phase</th>
              <th scope="col">On clusters</th>
            </tr>
          </thead>
          <tbody>
            {secrets.map((s) => (
              <tr key={s.id}>
                <th scope="row">{s.name}</th>
                <td>{s.keys.join(", ") || "—"}</td>
                <td>
                  {s.secretsManager ? (
                    <>
                      AWS Secrets Manager <code>{s.secretsManager.name}</code>
                    </>
                  ) : s.remoteRef ? (
                    <>
                      your store, key <code>{s.remoteRef.key}</code>
                    </>
                  ) : (
                    "—"
                  )}
                </td>
                <td>
                  <Pill value={s.status.phase} />
                </td>
                <td>
                  {s.status.clusters.map((c) => (
                    <span key={c.clusterId} class="chip">
                      {c.cluster}: {c.state}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Tokens</h2>
      {tokens === "hidden" ? (
        <p class="muted">Tokens are shown to platform administrators.</p>
      ) : tokens.length === 0 ? (
        <p class="muted">No tokens for this tenant.</p>
      ) : (
        <table>
          <caption class="visually-hidden">The tenant's API tokens</caption>
          <thead>
            <tr>
              <th scope="col">Token</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.name}</th>
                <td>{t.createdAt}</td>
                <td>{t.expiresAt ?? "never"}</td>
                <td>
                  <Pill value={t.revokedAt ? "Revoked" : "Active"} good={!t.revokedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
