/**
 * A release-asset server for add-on bundles: `GET /<addon>/<version>/<file>` answers the bundle
 * rendered by `renderBundle`, whatever the file is called (`install.yaml`, `bundle.yaml`), as a
 * mirror of GitHub release downloads would. Tests change what a release contains (`tamper`) to
 * check that a changed digest is refused, and read `fetches` to see what was downloaded.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseAllDocuments } from "yaml";
import type { KubeEmulator } from "../kube/index.js";
import { crdsOf, renderBundle } from "./bundles.js";

export { BUNDLED_ADDONS, CUSTOM_KINDS, crdOf, crdsOf, renderBundle } from "./bundles.js";

export interface BundleServer {
  /** e.g. http://127.0.0.1:40123; set FLEET_ADDON_MIRROR to it. */
  url: string;
  /** Paths requested so far, oldest first. */
  fetches: string[];
  /** Serve different content for one release from now on (an upstream re-tag, a compromised mirror). */
  tamper(addon: string, version: string, extra: string): void;
  close(): Promise<void>;
}

export async function startBundleServer(port = 0, host = "127.0.0.1"): Promise<BundleServer> {
  const fetches: string[] = [];
  const tampered = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] as string;
    fetches.push(path);
    const [, addon = "", version = "", file = ""] = path.split("/");
    const body = file && req.method === "GET" ? renderBundle(addon, version) : undefined;
    if (body === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
      return;
    }
    const text = body + (tampered.get(`${addon}/${version}`) ?? "");
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    fetches,
    tamper: (addon, version, extra) => tampered.set(`${addon}/${version}`, extra),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * What a project's own installer does on a cluster Fleetplane does not manage (`clusterctl init`
 * on a management cluster): applies its CRDs and waits until the API server serves their kinds.
 */
export async function installCrdsOf(
  kube: { editAs: KubeEmulator["editAs"]; store: KubeEmulator["store"] },
  project: Parameters<typeof crdsOf>[0],
  manager = "clusterctl",
): Promise<void> {
  const crds = crdsOf(project);
  for (const crd of crds) {
    kube.editAs(manager, { apiVersion: crd.apiVersion, kind: crd.kind, name: crd.metadata.name }, crd, "Apply");
  }
  const deadline = Date.now() + 5_000;
  const [group, version] = [crds[0]?.spec.group, crds[0]?.spec.versions[0]?.name];
  while (
    !crds.every((c) => kube.store.types.byKind(`${c.spec.group}/${c.spec.versions[0]?.name}`, c.spec.names.kind))
  ) {
    if (Date.now() > deadline) throw new Error(`CRDs of ${project} (${group}/${version}) never became Established`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * What another installer does with a release on a cluster (Cluster API's add-on provider, a
 * `kubectl apply` by hand): applies every object of the bundle under its own field manager, CRDs
 * first, and waits until their kinds are served.
 */
export async function installBundleAs(
  kube: { editAs: KubeEmulator["editAs"]; store: KubeEmulator["store"] },
  addon: string,
  version: string,
  manager: string,
): Promise<void> {
  const text = renderBundle(addon, version);
  if (!text) throw new Error(`no bundle for ${addon} ${version}`);
  interface Doc {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string };
    spec?: { group?: string; names?: { plural?: string }; versions?: { name: string }[] };
  }
  const objects = parseAllDocuments(text)
    .map((d) => d.toJS() as Doc | null)
    .filter((o): o is Doc => o !== null);
  const crds = objects.filter((o) => o.kind === "CustomResourceDefinition");
  const apply = (o: Doc) =>
    kube.editAs(
      manager,
      {
        apiVersion: o.apiVersion,
        kind: o.kind,
        name: o.metadata.name,
        ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
      },
      o as never,
      "Apply",
    );
  for (const crd of crds) apply(crd);
  const served = (c: Doc) =>
    kube.store.types.byPlural(`${c.spec?.group}/${c.spec?.versions?.[0]?.name}`, c.spec?.names?.plural ?? "");
  const deadline = Date.now() + 5_000;
  while (!crds.every(served)) {
    if (Date.now() > deadline) throw new Error(`CRDs of ${addon} never became Established`);
    await new Promise((r) => setTimeout(r, 5));
  }
  for (const kind of ["Namespace", undefined]) {
    for (const o of objects) {
      if (o.kind === "CustomResourceDefinition") continue;
      if (kind ? o.kind === kind : o.kind !== "Namespace") apply(o);
    }
  }
}
