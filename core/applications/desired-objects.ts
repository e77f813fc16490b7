import { and, eq, isNull } from "drizzle-orm";
import { applicationDeployments, applications } from "../../schema";
import type { DesiredObjectSource } from "../drift/sources";
import { policyOf } from "../drift/spec";
import { APPLICATION_KIND } from "../kinds";
import type { KubeObject } from "../tenants/manifests";
import { renderArgoApplication } from "./manifests";
import { clusterFactsOf } from "./plan";

/**
 * Each application's Argo CD `Application` at the release a rollout last applied to the
 * cluster: a rollout still moving the cluster updates what is wanted as it applies.
 */
export const applicationSource: DesiredObjectSource = {
  name: "applications",
  async collect(deps, cluster) {
    const rows = await deps.store
      .select({ deployment: applicationDeployments, app: applications })
      .from(applicationDeployments)
      .innerJoin(applications, eq(applications.id, applicationDeployments.applicationId))
      .where(and(eq(applicationDeployments.clusterId, cluster.id), isNull(applications.deletionRequestedAt)));
    const facts = clusterFactsOf(cluster);
    return rows.map(({ deployment, app }) => ({
      object: renderArgoApplication(app.name, deployment.release, facts) as unknown as KubeObject,
      owner: { type: APPLICATION_KIND, id: app.id, name: app.name, policy: policyOf(app.spec) },
      applied: true,
    }));
  },
};
