/**
 * Every kind of job, each run by one function of `functions/engine.ts`. A closed set: a job is
 * only ever queued for a kind that has a function, and the function table must cover them all.
 */
export const JOB_KINDS = [
  "connectCluster",
  "installAddons",
  "deleteCluster",
  "provisionCluster",
  "upgradeCluster",
  "scaleCluster",
  "reconcileCluster",
  "placeTenant",
  "placeClusterTenants",
  "finalizeTenant",
  "advanceRollout",
  "syncApplication",
  "syncAddon",
  "removeApplication",
  "deliverNotification",
] as const;

export type JobKind = (typeof JOB_KINDS)[number];
