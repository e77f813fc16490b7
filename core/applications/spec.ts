import { z } from "@hono/zod-openapi";
import { Cron } from "croner";
import { DriftPolicy } from "../drift/spec";
import { reasonsDescription } from "../reasons";
import { ConditionSchema, Labels, Name, ResourceMeta, type SpecOf } from "../resource";
import { parseLabelSelector } from "../selector";
import { Duration } from "../tenants/spec";

/**
 * The Application contract of the public API: an ApplicationSet-like app with an Argo CD source, target
 * clusters, and a rollout strategy learned from Argo CD progressive syncs, Rancher Fleet, OCM
 * and Flagger.
 */

const ClusterSelector = z
  .string()
  .max(4096)
  .superRefine((selector, ctx) => {
    try {
      parseLabelSelector(selector);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : "invalid selector" });
    }
  });

/** Placeholders value files may use; anything else in `{{ }}` is refused at write time. */
export const TEMPLATE_PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
const KNOWN_PLACEHOLDER = /^cluster\.(name|environment|region|labels\.[A-Za-z0-9._/-]+)$/;

const ValueFile = z
  .string()
  .min(1)
  .max(1024)
  .superRefine((file, ctx) => {
    for (const match of file.matchAll(TEMPLATE_PLACEHOLDER)) {
      if (!KNOWN_PLACEHOLDER.test(match[1] ?? "")) {
        ctx.addIssue({
          code: "custom",
          message: `unknown placeholder {{${match[1]}}}: use cluster.name, cluster.environment, cluster.region or cluster.labels.<key>`,
        });
      }
    }
  })
  .openapi({ example: "values-{{cluster.name}}.yaml" });

export const ApplicationSource = z
  .strictObject({
    repoURL: z
      .string()
      .max(2048)
      .regex(/^(https|ssh|oci):\/\/[^\s]+$/, "must be an https://, ssh:// or oci:// repository URL")
      .openapi({ example: "https://github.com/acme/payments-k8s" }),
    path: z
      .string()
      .max(1024)
      .regex(/^[A-Za-z0-9._\-/]*$/, "must be a path inside the repository")
      .refine((p) => !p.split("/").includes(".."), "must not leave the repository (`..`)")
      .optional()
      .openapi({ example: "apps/payments-api" }),
    chart: z.string().min(1).max(253).optional().openapi({ description: "Helm chart name (Helm repositories)" }),
    targetRevision: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^\s]+$/, "must not contain spaces")
      .openapi({ description: "Branch, tag, commit or chart version", example: "v1.4.2" }),
    helm: z
      .strictObject({
        valueFiles: z.array(ValueFile).max(32).optional(),
        values: z.string().max(65536).optional().openapi({ description: "Inline Helm values (YAML)" }),
      })
      .optional(),
  })
  .openapi("ApplicationSource");

export const ApplicationDestination = z
  .strictObject({
    namespace: Name.openapi({ example: "payments" }),
    createNamespace: z.boolean().optional(),
  })
  .openapi("ApplicationDestination");

export const ApplicationTargets = z
  .strictObject({
    labelSelector: ClusterSelector.optional().openapi({
      description:
        'Target clusters by label; `environment`, `region` and `name` match the cluster\'s own fields unless a label of that key exists. `""` targets every cluster.',
      example: "app-tier=payments",
    }),
    clusters: z
      .array(z.strictObject({ name: Name, wave: z.int().min(0).max(1000).optional() }))
      .min(1)
      .max(10000)
      .optional()
      .openapi({ description: "An explicit list, like a list generator; `wave` places a cluster in the n-th wave" }),
  })
  .refine((t) => (t.labelSelector === undefined) !== (t.clusters === undefined), {
    message: "give exactly one of labelSelector or clusters",
  })
  .openapi("ApplicationTargets");

export const SyncPolicy = z
  .strictObject({ prune: z.boolean().optional(), selfHeal: z.boolean().optional() })
  .openapi("SyncPolicy");

/** A count (`2`) or a share of the wave (`"25%"`). */
export const Quantity = z
  .union([z.int().min(0).max(100000), z.string().regex(/^(100|[1-9]?[0-9])%$/, "must be a percentage such as 25%")])
  .openapi({ example: "50%" });

export const Wave = z
  .strictObject({
    name: Name.openapi({ example: "prod-eu" }),
    selector: ClusterSelector.optional().openapi({
      description: "Target clusters that belong to this wave (the first matching wave wins)",
      example: "region=eu-west-1",
    }),
    maxConcurrency: Quantity.optional().openapi({
      description:
        "Clusters progressing at once. A percentage is of the wave's clusters, rounded down but never below 1. Default: the whole wave.",
    }),
    maxFailures: Quantity.optional().openapi({
      description:
        "Failed or timed-out clusters the wave tolerates. A percentage is of the wave's clusters, rounded down. Default 0.",
    }),
    minSuccessTime: Duration.optional().openapi({ description: "Bake time after the wave succeeds, before the next" }),
    requireApproval: z.boolean().optional().openapi({ description: "Wait for `POST …/approve` before starting" }),
  })
  .openapi("RolloutWave");

export const AnalysisMetric = z
  .strictObject({
    name: Name.openapi({ example: "request-success-rate" }),
    query: z.string().min(1).max(4096).openapi({
      description:
        "PromQL returning one number; `{{wave}}` and `{{clusters}}` (a regex alternation of the wave's cluster names) are substituted",
    }),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .refine((m) => m.min !== undefined || m.max !== undefined, { message: "give min, max or both" })
  .openapi("AnalysisMetric");

export const Analysis = z
  .strictObject({
    prometheusUrl: z.string().max(2048).openapi({ example: "http://prometheus.monitoring:9090" }),
    interval: Duration.optional().openapi({ description: "Time between checks; default 1m" }),
    threshold: z.int().min(1).max(100).optional().openapi({
      description: "Failed checks that halt the rollout; default 1",
    }),
    metrics: z.array(AnalysisMetric).min(1).max(16),
  })
  .openapi("RolloutAnalysis");

export const MaintenanceWindow = z
  .strictObject({
    name: Name.optional(),
    schedule: z
      .string()
      .max(128)
      .superRefine((schedule, ctx) => {
        if (schedule.trim().split(/\s+/).length !== 5) {
          ctx.addIssue({
            code: "custom",
            message: "must be a 5-field cron expression (minute hour day month weekday)",
          });
          return;
        }
        try {
          new Cron(schedule, { timezone: "UTC" });
        } catch (error) {
          ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : "invalid cron expression" });
        }
      })
      .openapi({ description: "When the window opens (cron, UTC)", example: "0 2 * * *" }),
    duration: Duration.openapi({ example: "4h" }),
    selector: ClusterSelector.optional().openapi({
      description: "Clusters the window governs (e.g. `environment=production`); default every target",
    }),
  })
  .openapi("MaintenanceWindow");

export const ON_FAILURE = ["pause", "rollback"] as const;
export const UNAVAILABLE_CLUSTERS = ["wait", "skip"] as const;

export const Strategy = z
  .strictObject({
    waves: z.array(Wave).min(1).max(50).optional(),
    progressDeadline: Duration.optional().openapi({
      description: "Per cluster: no verdict from Argo CD by then is `TimeOut`; default 10m",
    }),
    analysis: Analysis.optional(),
    maintenanceWindows: z.array(MaintenanceWindow).max(32).optional(),
    onFailure: z
      .enum(ON_FAILURE)
      .optional()
      .openapi({ description: "When a failure budget is exceeded; default pause" }),
    unavailableClusters: z.enum(UNAVAILABLE_CLUSTERS).optional().openapi({
      description:
        "A target cluster that is unavailable when its turn comes or while it syncs (phase Unknown: its agent silent, its API server unreachable): `wait` (default) holds it, and its wave, until it is back; `skip` leaves it out of this rollout (state Skip) and the wave goes on. Neither counts against the failure budget.",
    }),
  })
  .openapi("RolloutStrategy");

export const ApplicationCreate = z
  .strictObject({
    name: Name.openapi({ example: "payments-api" }),
    labels: Labels.optional(),
    tenant: Name.optional().openapi({ description: "Owning tenant; its token may manage the application" }),
    source: ApplicationSource,
    destination: ApplicationDestination,
    targets: ApplicationTargets,
    syncPolicy: SyncPolicy.optional(),
    strategy: Strategy.optional(),
    driftPolicy: DriftPolicy.optional(),
  })
  .openapi("ApplicationCreate");
export type ApplicationCreateInput = z.infer<typeof ApplicationCreate>;
export type StrategyInput = z.infer<typeof Strategy>;
export type WaveInput = z.infer<typeof Wave>;

/** JSON merge patch; the merged result is validated as a whole against `ApplicationCreate`. */
export const ApplicationPatch = z
  .record(z.string(), z.unknown())
  .superRefine((patch, ctx) => {
    for (const key of ["name", "tenant"]) {
      if (key in patch) ctx.addIssue({ code: "custom", path: [key], message: "cannot be changed" });
    }
  })
  .openapi("ApplicationPatch", {
    description: "JSON merge patch of the application's fields (`name` and `tenant` cannot change)",
  });

export type RolloutKind = "rollout" | "rollback";
export const APPLICATION_PHASES = ["Pending", "Progressing", "Synced", "RolledBack", "Degraded", "Deleting"] as const;
export type ApplicationPhase = (typeof APPLICATION_PHASES)[number];
/**
 * Why a rollout is in its phase: a closed set, since the engine and the verbs decide on it
 * (resuming after `BudgetExceeded` retries the failed clusters, after `AnalysisFailed` re-runs
 * the gate) and clients and alerts select on it.
 */
export const ROLLOUT_REASONS = [
  "Created",
  "Started",
  "WaitingApproval",
  "Approved",
  "PausedByUser",
  "Resumed",
  "AbortedByUser",
  "Superseded",
  "ApplicationDeleted",
  "BudgetExceeded",
  "AnalysisFailed",
  "AllWavesSucceeded",
  "EngineError",
] as const;
export type RolloutReason = (typeof ROLLOUT_REASONS)[number];

export const TARGET_STATES = ["ToApply", "Progressing", "Succeeded", "Failed", "TimeOut", "Skip"] as const;
export type TargetState = (typeof TARGET_STATES)[number];
export const ROLLOUT_PHASES = [
  "Pending",
  "Progressing",
  "Paused",
  "WaitingApproval",
  "Succeeded",
  "Failed",
  "Aborted",
  "RolledBack",
] as const;
export type RolloutPhase = (typeof ROLLOUT_PHASES)[number];
/** What the API shows: a rolled-back rollout is `RollingBack` until its rollback has finished. */
export const ROLLOUT_WIRE_PHASES = [...ROLLOUT_PHASES, "RollingBack"] as const;
export type RolloutWirePhase = (typeof ROLLOUT_WIRE_PHASES)[number];
export const TERMINAL_PHASES: readonly RolloutPhase[] = ["Succeeded", "Failed", "Aborted", "RolledBack"];
export const WAVE_STATES = ["Pending", "WaitingApproval", "Progressing", "Baking", "Succeeded", "Failed", "Skipped"];

export const MetricResult = z
  .object({
    metric: z.string(),
    value: z.number().nullable(),
    passed: z.boolean(),
    message: z.string(),
    at: z.string(),
  })
  .openapi("MetricResult");

export const RolloutTarget = z
  .object({
    cluster: z.string(),
    clusterId: z.string(),
    state: z.enum(TARGET_STATES),
    message: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi("RolloutTarget");

export const RolloutWaveStatus = z
  .object({
    index: z.int(),
    name: z.string(),
    state: z.enum(WAVE_STATES as [string, ...string[]]),
    maxConcurrency: z.int().openapi({ description: "Resolved from the strategy for this wave's size" }),
    maxFailures: z.int(),
    counts: z.record(z.enum(TARGET_STATES), z.int()),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    bakeUntil: z.string().nullable(),
    approvedBy: z.string().nullable(),
    analysis: z.object({ checks: z.int(), failedChecks: z.int(), results: z.array(MetricResult) }).nullable(),
    clusters: z.array(RolloutTarget),
  })
  .openapi("RolloutWaveStatus");

export const Rollout = z
  .object({
    id: z.string().openapi({ example: "rol_01JAB4Q8N3X0V6W5T0R7C2Y9ZK" }),
    subject: z
      .object({ kind: z.enum(["Application", "Addon"]), name: z.string() })
      .openapi({ description: "What moves: an application, or one add-on's version across the fleet" }),
    application: z.string().optional().openapi({ description: "The application's name (application rollouts)" }),
    applicationId: z.string().optional(),
    number: z.int().openapi({ description: "1, 2, 3… per application or add-on" }),
    kind: z.enum(["rollout", "rollback"]),
    revision: z.int(),
    release: z.union([
      z.object({
        source: ApplicationSource,
        destination: ApplicationDestination,
        syncPolicy: SyncPolicy.optional(),
        generation: z.int(),
      }),
      z.object({
        addon: z.object({
          name: z.string(),
          version: z.string(),
          url: z.string().optional(),
          sha256: z.string().optional(),
        }),
      }),
    ]),
    rollbackOf: z.string().nullable(),
    rolledBackBy: z.string().nullable(),
    supersededBy: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
    status: z.object({
      phase: z.enum(ROLLOUT_WIRE_PHASES),
      reason: z.string().openapi({ description: reasonsDescription(ROLLOUT_REASONS) }),
      message: z.string(),
      currentWave: z.string().nullable(),
      waitingFor: z.array(z.string()).openapi({ description: "What the rollout waits for, in words" }),
      summary: z.record(z.enum(TARGET_STATES), z.int()),
      waves: z.array(RolloutWaveStatus),
    }),
  })
  .openapi("Rollout");

export const Application = z
  .object({
    ...ResourceMeta,
    labels: Labels,
    tenant: z.string().optional(),
    source: ApplicationSource,
    destination: ApplicationDestination,
    targets: ApplicationTargets,
    syncPolicy: SyncPolicy.optional(),
    strategy: Strategy.optional(),
    driftPolicy: DriftPolicy.optional(),
    status: z
      .object({
        phase: z.enum(APPLICATION_PHASES).openapi({
          description:
            "`RolledBack`: the latest rollout took the fleet back; the clusters run that release, and the spec's waits for a new rollout",
        }),
        conditions: z.array(ConditionSchema),
        observedGeneration: z.int(),
        latestRollout: z
          .object({ id: z.string(), number: z.int(), phase: z.enum(ROLLOUT_PHASES), kind: z.string() })
          .nullable(),
        clusters: z.array(
          z.object({
            cluster: z.string(),
            clusterId: z.string(),
            targetRevision: z.string(),
            health: z.string(),
            sync: z.string(),
          }),
        ),
        summary: z
          .object({
            wantedRevision: z.string().openapi({ description: "The revision the spec names" }),
            running: z
              .record(z.string(), z.int())
              .openapi({ description: "How many clusters run each revision, as they last reported" }),
          })
          .openapi({ description: "What the fleet runs of the application, against what the spec asks" }),
      })
      .openapi("ApplicationStatus"),
  })
  .openapi("Application");

export const RolloutStart = z
  .strictObject({ reason: z.string().max(1024).optional() })
  .openapi("RolloutStart", { description: "Rolls the application's current spec out again" });

/** What the `spec` column holds: `tenant` as the user wrote it (the tenant's id has a column). */
export type ApplicationSpecFields = SpecOf<z.infer<typeof Application>>;
