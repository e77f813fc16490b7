/**
 * The state a rollout keeps per wave while it runs (the rollouts.waves column): what the engine
 * reads each tick and the wire shows. Plain types, so the schema can name them.
 */

import type { ApplicationSpecFields } from "../applications/spec";

export interface WaveRuntime {
  name: string;
  size: number;
  maxConcurrency: number;
  maxFailures: number;
  minSuccessMs: number;
  requireApproval: boolean;
  state: "Pending" | "WaitingApproval" | "Progressing" | "Baking" | "Succeeded" | "Failed" | "Skipped";
  startedAt: number | null;
  finishedAt: number | null;
  bakeStartedAt: number | null;
  approvedAt: number | null;
  approvedBy: string | null;
  analysis: AnalysisRuntime | null;
}

export interface AnalysisRuntime {
  checks: number;
  failedChecks: number;
  lastCheckAt: number | null;
  /** The latest check's results, one per metric. */
  results: { metric: string; value: number | null; passed: boolean; message: string; at: number }[];
}

/** What a rollout moves clusters to: the parts of an application that end up on a cluster. */
export interface Release {
  source: ApplicationSpecFields["source"];
  destination: ApplicationSpecFields["destination"];
  syncPolicy?: ApplicationSpecFields["syncPolicy"];
  /** The application generation the release was cut from. */
  generation: number;
}

/** What an add-on rollout moves clusters to: one add-on's version and bundle. */
export interface AddonRelease {
  addon: { name: string; version: string; url?: string | undefined; sha256?: string | undefined };
}

/** What a rollout moves clusters to, by the kind of its subject. */
export type RolloutRelease = Release | AddonRelease;

/** What a release is called in messages: the application's revision, or the add-on's version. */
export function releaseLabel(release: RolloutRelease | null | undefined): string {
  if (!release) return "nothing";
  if ("addon" in release) return `${release.addon.name} ${release.addon.version}`;
  return String(release.source.targetRevision);
}
