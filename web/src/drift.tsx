import { useState } from "preact/hooks";
import type { components, Fleetplane } from "../../sdk";
import { useLiveData } from "./live";
import { describeProblem } from "./session";
import { Pill } from "./ui";

type DriftReport = components["schemas"]["DriftReport"];
type DriftItem = DriftReport["items"][number];

const show = (value: unknown) => (value === undefined ? "(absent)" : JSON.stringify(value, null, 2));
const objectKey = (i: DriftItem) => `${i.kind} ${i.namespace ? `${i.namespace}/` : ""}${i.name}`;

/** Owner → object → field: what Fleetplane wants against what the cluster has, and why. */
function groupByOwner(items: DriftItem[]): [string, [string, DriftItem[]][]][] {
  const owners = new Map<string, Map<string, DriftItem[]>>();
  for (const item of items) {
    const owner = item.owner ? `${item.owner.type} ${item.owner.name}` : "Nothing (no longer wanted)";
    const objects = owners.get(owner) ?? new Map<string, DriftItem[]>();
    objects.set(objectKey(item), [...(objects.get(objectKey(item)) ?? []), item]);
    owners.set(owner, objects);
  }
  return [...owners].map(([owner, objects]) => [owner, [...objects]]);
}

/** A cluster's drift report as a tree with desired and live side by side, and "reconcile now". */
export function DriftView({ fp, name }: { fp: Fleetplane; name: string }) {
  const ref = encodeURIComponent(name);
  const { data: report, error } = useLiveData(
    () => fp.request<DriftReport>("GET", `/v1/clusters/${ref}/drift`),
    [fp, ref],
    { resource: name },
  );
  const [notice, setNotice] = useState<string>();

  const reconcile = async () => {
    setNotice(undefined);
    try {
      await fp.request("POST", `/v1/clusters/${ref}/reconcile`);
      setNotice("Reconcile requested: drift is checked again, and repaired where its owner's policy is remediate.");
    } catch (e) {
      setNotice(describeProblem(e));
    }
  };

  return (
    <>
      <p>
        <a href={`#/clusters/${ref}`}>← {name}</a>
      </p>
      <h1>
        Drift on {name} {report && <Pill value={report.state} />}
      </h1>
      {error && (
        <p role="alert" class="problem">
          {error}
        </p>
      )}
      {report && (
        <>
          <p class="muted">
            {report.message}
            {report.reconciledAt ? ` · reconciled ${report.reconciledAt}` : ""}
          </p>
          <button type="button" onClick={reconcile}>
            Reconcile now
          </button>
          {notice && (
            <p role="status" class={notice.startsWith("Reconcile requested") ? "muted" : "problem"}>
              {notice}
            </p>
          )}
          {report.narrative && <p class="narrative">{report.narrative}</p>}
          {report.items.length === 0 && <p>Nothing drifted.</p>}
          <ul class="tree" aria-label="Drift by owner, object and field">
            {groupByOwner(report.items).map(([owner, objects]) => (
              <li key={owner}>
                <strong>{owner}</strong>
                <ul>
                  {objects.map(([object, items]) => (
                    <li key={object}>
                      <span class="object">{object}</span>
                      <ul>
                        {items.map((item) => (
                          <li key={`${item.type}${item.path ?? ""}`} class="drift-item">
                            <p>
                              <Pill value={item.type} /> <code>{item.path ?? ""}</code>{" "}
                              {item.manager && (
                                <span class="muted">
                                  changed by {item.manager.name} ({item.manager.operation}
                                  {item.manager.time ? `, ${item.manager.time}` : ""})
                                </span>
                              )}
                            </p>
                            <div class="diff">
                              <figure>
                                <figcaption>Desired</figcaption>
                                <pre>{show(item.desired)}</pre>
                              </figure>
                              <figure>
                                <figcaption>Live</figcaption>
                                <pre>{show(item.live)}</pre>
                              </figure>
                            </div>
                            <p>
                              <strong>{item.explanation.summary}</strong> {item.explanation.meaning}
                            </p>
                            <p class="muted">Remediation: {item.explanation.remediation}</p>
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
