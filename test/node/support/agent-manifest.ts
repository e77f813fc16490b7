import { expect } from "vitest";
import { parseAllDocuments } from "yaml";

/** The objects of an agent install manifest, checked to be the six it installs, in apply order. */
// Parsed YAML, read field by field in the tests.
export function agentManifestObjects(yaml: string) {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()) as any[];
  expect(objects.map((o) => o.kind)).toEqual([
    "Namespace",
    "ServiceAccount",
    "ClusterRole",
    "ClusterRoleBinding",
    "Secret",
    "Deployment",
  ]);
  return objects;
}
