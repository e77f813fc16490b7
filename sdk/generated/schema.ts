/**
 * Generated from openapi/openapi.json by `npm run sdk` (openapi-typescript). Do not edit:
 * change the routes, run `npm run openapi && npm run sdk`, and commit both.
 */

export interface paths {
    "/agent/v1/join": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Trade a join token for the agent's credential
         * @description A join token works once, before it expires. The credential is shown once.
         */
        post: operations["agentJoin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agent/v1/doorbell": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A WebSocket on which the host says when there is work
         * @description Where the host has a doorbell (Workers: a Durable Object per cluster, hibernating while idle), an agent keeps this WebSocket open and asks for work with `wait=0` when it hears `work`, instead of holding requests for work open; the host answers the text `ping` with `pong` without waking. A host without one answers 404, and the agent holds requests for work open instead.
         */
        get: operations["agentDoorbell"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agent/v1/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The agent is alive
         * @description Records the agent's version and clock skew, and sets the cluster's `AgentConnected` condition.
         */
        post: operations["agentHeartbeat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agent/v1/work": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Work for the agent's cluster
         * @description Pending work after `after`, in order; held open up to `wait` seconds while there is none. The agent applies (server-side apply, field manager `fleetplane`) or deletes each object in `seq` order, then reports.
         */
        get: operations["agentWork"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agent/v1/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * What the agent did
         * @description Each result finishes one item of this cluster's work. `number` must be higher than the last accepted report's: a replayed or reordered report is refused (409) and changes nothing.
         */
        post: operations["agentReport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cluster-classes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List cluster classes */
        get: operations["listClusterClasses"];
        put?: never;
        /** Create a cluster class */
        post: operations["createClusterClass"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cluster-classes/{ref}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a cluster class by id or name */
        get: operations["getClusterClass"];
        /**
         * Replace a cluster class
         * @description `name` and `provider` are immutable.
         */
        put: operations["replaceClusterClass"];
        post?: never;
        /** Delete a cluster class that no cluster uses */
        delete: operations["deleteClusterClass"];
        options?: never;
        head?: never;
        /** Change a cluster class (JSON merge patch) */
        patch: operations["patchClusterClass"];
        trace?: never;
    };
    "/v1/clusters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List clusters */
        get: operations["listClusters"];
        put?: never;
        /**
         * Register or provision a cluster
         * @description Answers 202 with the cluster (its id readable at once); progress shows in `status`. Provider `imported` registers an existing cluster from `connection`; with `connection.mode: agent` it joins through an agent installed in it, and the answer carries the agent's join token once.
         */
        post: operations["createCluster"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/clusters/{ref}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a cluster by id or name */
        get: operations["getCluster"];
        put?: never;
        post?: never;
        /**
         * Delete a cluster
         * @description Answers 202 while deletion runs (phase `Deleting`); once gone, GET answers 404.
         */
        delete: operations["deleteCluster"];
        options?: never;
        head?: never;
        /**
         * Change a cluster (JSON merge patch)
         * @description `null` removes a field or label. Changing `connection` of an imported cluster reconnects it.
         */
        patch: operations["patchCluster"];
        trace?: never;
    };
    "/v1/clusters/{ref}/manifests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What Fleetplane wants on a cluster
         * @description Every object Fleetplane applies to the cluster (Flux's fleet-config `GitRepository` and the cluster's `Kustomization`), rendered, with the values that produced them.
         */
        get: operations["getClusterManifests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/clusters/{ref}/reconcile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reconcile a cluster now
         * @description Queues a re-apply of what Fleetplane wants on the cluster; `FluxReady` follows in status. Answers 202.
         */
        post: operations["reconcileCluster"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/clusters/{ref}/agent-manifest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The manifest that installs a cluster's agent
         * @description For `connection.mode: agent`: a namespace, service account, RBAC, a Secret with the join token and the agent Deployment, as YAML for `kubectl apply -f`. Admin only (it carries the join token); 409 once the agent has joined or the token expired.
         */
        get: operations["getClusterAgentManifest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/clusters/{ref}/agent-join": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A new join token for a cluster's agent
         * @description Replaces an unused join token; when used, the new agent's credential replaces the old one (re-joining, or rotating the agent's credential). Shown once.
         */
        post: operations["grantClusterAgentJoin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/environments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List environments */
        get: operations["listEnvironments"];
        put?: never;
        /**
         * Declare an environment
         * @description Shared fleet-config values (class < environment < cluster) and optionally the repository for the clusters of one environment. Every cluster whose `environment` is this one re-applies its fleet-config objects (a reconcile job each).
         */
        post: operations["createEnvironment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/environments/{ref}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an environment by id or name */
        get: operations["getEnvironment"];
        /**
         * Replace an environment
         * @description `name` is immutable. Every cluster whose `environment` is this one re-applies its fleet-config objects (a reconcile job each).
         */
        put: operations["replaceEnvironment"];
        post?: never;
        /**
         * Delete an environment
         * @description Its clusters keep their `environment` and fall back to their class's values; each re-applies.
         */
        delete: operations["deleteEnvironment"];
        options?: never;
        head?: never;
        /**
         * Change an environment (JSON merge patch)
         * @description Every cluster whose `environment` is this one re-applies its fleet-config objects (a reconcile job each).
         */
        patch: operations["patchEnvironment"];
        trace?: never;
    };
    "/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tokens (never their secrets) */
        get: operations["listTokens"];
        put?: never;
        /**
         * Mint an admin token
         * @description The secret `token` is in this response only; Fleetplane keeps its hash.
         */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a token's metadata */
        get: operations["getToken"];
        put?: never;
        post?: never;
        /** Revoke a token */
        delete: operations["revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List per-cluster function invocations */
        get: operations["listJobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a job */
        get: operations["getJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retry a Failed or Cancelled job with a fresh attempt budget */
        post: operations["retryJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit and event log, oldest first */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The event log as it happens (server-sent events)
         * @description A `text/event-stream` of new events, each as `id: <event id>` and `data: <Event JSON>`, with the list's filters and tenant scope. It starts now, or at `since`; sent again with `Last-Event-ID` (as `EventSource` does on reconnect) it resumes after that event. A comment line keeps it alive every 15 s, and it ends after `FLEET_STREAM_MAX_SECONDS` (the client reconnects).
         */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List tenants
         * @description A tenant-scoped token sees only its own tenant.
         */
        get: operations["listTenants"];
        put?: never;
        /**
         * Onboard a tenant
         * @description Answers 202: the tenant is placed on every cluster its `placement.labelSelector` matches (namespace, Flux account, role binding, GitRepository, Kustomization forced into its namespace) and follows the fleet as clusters join or change labels. Per-cluster progress is in `status.clusters`.
         */
        post: operations["createTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{ref}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a tenant by id or name */
        get: operations["getTenant"];
        put?: never;
        post?: never;
        /**
         * Offboard a tenant
         * @description Answers 202 (phase `Deleting`): each cluster removes the Kustomization first (Flux prunes), then the source, secrets, binding, account and namespace. Once every cluster is clean, GET answers 404.
         */
        delete: operations["deleteTenant"];
        options?: never;
        head?: never;
        /**
         * Change a tenant (JSON merge patch)
         * @description A change of source, health checks or interval re-applies the tenant everywhere; a selector change moves it.
         */
        patch: operations["patchTenant"];
        trace?: never;
    };
    "/v1/tenants/{ref}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint a token scoped to this tenant
         * @description The token reads its own tenant and manages its own secrets; every other tenant's resources answer 404 and platform writes 403. The secret `token` is in this response only.
         */
        post: operations["createTenantToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{ref}/secrets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a tenant's secrets (never their values) */
        get: operations["listSecrets"];
        put?: never;
        /**
         * Add a secret to a tenant
         * @description With `data` the value is stored in AWS Secrets Manager under `fleetplane/<tenant>/<secret>` (never in Fleetplane, never returned); with `remoteRef` an existing key is referenced. Every cluster the tenant is on gets an ExternalSecret in the tenant's namespace.
         */
        post: operations["createSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{ref}/secrets/{secretRef}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a secret's metadata */
        get: operations["getSecret"];
        /**
         * Replace a secret's settings; new `data` rotates it
         * @description New `data` writes a new version to Secrets Manager and forces a refresh on every cluster (the ExternalSecret's `force-sync` annotation).
         */
        put: operations["replaceSecret"];
        post?: never;
        /**
         * Delete a secret
         * @description Answers 202: the ExternalSecrets are removed from every cluster, then the value is scheduled for deletion in Secrets Manager with a 7-day recovery window. Once done, GET answers 404.
         */
        delete: operations["deleteSecret"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/applications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List applications
         * @description A tenant-scoped token sees only its own tenant's applications.
         */
        get: operations["listApplications"];
        put?: never;
        /**
         * Create an application
         * @description Creates the application and starts its first rollout across the target clusters, wave by wave (`status.latestRollout`).
         */
        post: operations["createApplication"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/applications/{ref}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an application by id or name */
        get: operations["getApplication"];
        put?: never;
        post?: never;
        /**
         * Delete an application
         * @description Answers 202 (phase `Deleting`): running rollouts are aborted and each cluster's Argo CD Application is removed. Once no cluster has it, GET answers 404.
         */
        delete: operations["deleteApplication"];
        options?: never;
        head?: never;
        /**
         * Change an application (JSON merge patch)
         * @description A change of source (revision, values), destination, sync policy or targets starts a rollout; a running one is superseded (`Aborted`, reason `Superseded`). Strategy and label changes apply to the next rollout.
         */
        patch: operations["patchApplication"];
        trace?: never;
    };
    "/v1/applications/{ref}/rollouts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an application's rollouts, newest first */
        get: operations["listRollouts"];
        put?: never;
        /**
         * Roll the application out again
         * @description Answers 202 with a new rollout of the application's current spec (e.g. after an abort); a running rollout is superseded. Clusters already Synced and Healthy at this release are `Skip`.
         */
        post: operations["startRollout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/addons/{ref}/rollouts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List an add-on's fleet-wide rollouts, newest first
         * @description A change of an add-on's version on a cluster class or an environment rolls across the affected clusters in waves (the layer's `addonStrategy`); each is a rollout of subject `Addon`, steered with the same verbs as an application's. Administrators only.
         */
        get: operations["listAddonRollouts"];
        put?: never;
        /**
         * Roll an add-on out again to the clusters held back from their spec's release
         * @description After a rollback or an abort, once the cause is fixed: every cluster still held below the release its class, environment and own spec ask for moves in a new rollout, with the strategy of the add-on's latest one. 409 when no cluster is held back. Administrators only.
         */
        post: operations["startAddonRollout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rollouts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a rollout: per wave and per cluster state, and what it waits for */
        get: operations["getRollout"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rollouts/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause: clusters in progress finish, no new cluster starts, no wave advances. */
        post: operations["pauseRollout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rollouts/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a paused rollout. After a failure-budget halt the halted wave's failed clusters are retried; after a failed metric gate the analysis starts over. */
        post: operations["resumeRollout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rollouts/{id}/abort": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop the rollout for good (`Aborted`); clusters keep what they have. */
        post: operations["abortRollout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rollouts/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve the wave waiting for approval (`WaitingApproval`). */
        post: operations["approveRollout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rollouts/{id}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Fleet-level rollback: every cluster this rollout moved goes back to what it had, in reverse wave order, as a new rollout of kind `rollback` (this one ends `RolledBack`). Only the application's latest rollout can be rolled back. */
        post: operations["rollbackRollout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/clusters/{ref}/drift": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The cluster's latest drift report
         * @description What the last reconcile found: every field of an object Fleetplane owns that differs on the cluster (with the field manager that changed it and an explanation), missing objects, objects no longer wanted, or `Unknown` when the cluster could not be read. History is in the events (`DriftDetected`, `DriftRepaired`, `DriftResolved`). A cluster never reconciled answers `NeverReconciled`.
         */
        get: operations["getClusterDrift"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/monitoring/prometheus-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Fleetplane's alerts as a PrometheusRule
         * @description Fleetplane's alerts over the series at `/metrics`, as a ready `PrometheusRule` (prometheus-operator); its `spec.groups` is also what a plain Prometheus loads as a rule file. Each alert names its object and links its section of the runbook at `/docs/runbook`: clusters unreachable, reconciles stuck, drift persisting, add-ons degraded, jobs dead-lettered, rollouts stopped by a gate or budget, waiting for approval or rolled back, and Flux objects out of sync or not reconciled for 15 minutes (Fleetplane exports Flux-compatible `gotk_*` series).
         */
        get: operations["getPrometheusRules"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notification-providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List notification providers */
        get: operations["listNotificationProviders"];
        put?: never;
        /** Create a notification provider */
        post: operations["createNotificationProvider"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notification-providers/{ref}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a notification provider by id or name */
        get: operations["getNotificationProvider"];
        put?: never;
        post?: never;
        /** Delete a notification provider */
        delete: operations["deleteNotificationProvider"];
        options?: never;
        head?: never;
        /** Change a notification provider (JSON merge patch) */
        patch: operations["patchNotificationProvider"];
        trace?: never;
    };
    "/v1/alert-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List alert rules */
        get: operations["listAlertRules"];
        put?: never;
        /** Create an alert rule */
        post: operations["createAlertRule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alert-rules/{ref}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an alert rule by id or name */
        get: operations["getAlertRule"];
        put?: never;
        post?: never;
        /** Delete an alert rule */
        delete: operations["deleteAlertRule"];
        options?: never;
        head?: never;
        /** Change an alert rule (JSON merge patch) */
        patch: operations["patchAlertRule"];
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AgentJoinResponse: {
            cluster: {
                id: string;
                name: string;
            };
            /** @description The agent's credential for every later call. Shown once: Fleetplane keeps only its hash. */
            credential: string;
        };
        Problem: {
            /** @example https://fleetplane.dev/problems/validation-failed */
            type: string;
            /** @example Bad Request */
            title: string;
            /** @example 400 */
            status: number;
            detail: string;
            /**
             * @description Stable machine-readable error code
             * @example validation_failed
             */
            code: string;
            requestId: string;
            instance?: string;
            errors?: {
                /** @example body.name */
                location: string;
                message: string;
            }[];
        };
        AgentJoinRequest: {
            /** @description The join token from the install manifest */
            token: string;
        };
        AgentHeartbeatResponse: {
            cluster: {
                id: string;
                name: string;
            };
            /** @description Fleetplane's clock */
            time: string;
        };
        AgentHeartbeat: {
            /** @example 0.1.0 */
            version: string;
            /**
             * Format: date-time
             * @description The agent's clock when it sent this (to measure skew)
             */
            time: string;
        };
        AgentWorkList: {
            items: components["schemas"]["AgentWorkItem"][];
            /** @description Ask again after this `seq` */
            after: number;
        };
        AgentWorkItem: {
            id: string;
            seq: number;
            /**
             * @description apply: server-side apply `object` (field manager `fleetplane`, force); delete / get: the object `object` names; list: `object` is {apiVersion, kind, namespace?, labelSelector?}; version / apiGroups: the API server's version and its API group names; proxyGet: GET `object.path` on the Service `object.service` in `object.namespace` through the API server's service proxy, answered as text. Agents must report an op they do not know as not ok; newer ops are added over time.
             * @enum {string}
             */
            op: "apply" | "delete" | "get" | "list" | "version" | "apiGroups" | "proxyGet";
            /** @description What the operation works on */
            object: {
                [key: string]: unknown;
            };
        };
        AgentReportAccepted: {
            accepted: number;
        };
        AgentReport: {
            /** @description Higher than every report this agent sent before */
            number: number;
            results: {
                id: string;
                ok: boolean;
                message?: string;
                /** @description When not ok: the HTTP status the API server answered (absent when it did not answer) */
                status?: number;
                /** @description When ok: the object read (null when absent), the list's items, whether a delete found something, the version, the API group names, or the text a service answered. Never a Secret. */
                result?: unknown;
            }[];
        };
        ClusterClass: {
            /**
             * @description Immutable opaque id
             * @example cls_01JAB4Q8N3X0V6W5T0R7C2Y9ZK
             */
            id: string;
            /** @example prod-eu-west-1 */
            name: string;
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels: {
                [key: string]: string;
            };
            /** @description Bumped on every spec change */
            generation: number;
            /** @description Bumped on every write; also the ETag */
            revision: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            description?: string;
            /**
             * @description `eks` (AWS EKS), `capi` (Cluster API on a management cluster) or `imported` (an existing cluster)
             * @enum {string}
             */
            provider: "eks" | "capi" | "imported";
            region?: string;
            version?: string;
            workers?: components["schemas"]["WorkerPool"][];
            eks?: components["schemas"]["EksSettings"];
            capi?: components["schemas"]["CapiSettings"];
            fleetConfig?: components["schemas"]["FleetConfigRepo"];
            values?: {
                [key: string]: string;
            };
            addons?: components["schemas"]["AddonRef"][];
            addonStrategy?: components["schemas"]["RolloutStrategy"];
            status: components["schemas"]["ClusterClassStatus"];
        };
        WorkerPool: {
            /** @example prod-eu-west-1 */
            name: string;
            replicas: number;
            instanceType?: string;
            minReplicas?: number;
            maxReplicas?: number;
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels?: {
                [key: string]: string;
            };
        };
        EksSettings: {
            roleArn: string;
            nodeRoleArn?: string;
            subnetIds: string[];
            securityGroupIds?: string[];
            endpointPublicAccess?: boolean;
        };
        CapiSettings: {
            /**
             * @description Name or id of the fleet cluster that runs Cluster API
             * @example mgmt
             */
            managementCluster: string;
            /**
             * @description Namespace of the `Cluster` objects; default `clusters`
             * @example prod-eu-west-1
             */
            namespace?: string;
            /**
             * @description The Cluster API ClusterClass
             * @example eks-cluster-class
             */
            topologyClass: string;
        };
        FleetConfigRepo: {
            /** @example https://github.com/acme/fleet-config */
            url: string;
            /** @description Default `main` */
            branch?: string;
            /** @description How often Flux polls the repository; default `1m` */
            interval?: string;
            /**
             * @description Secret in flux-system with the Git credentials
             * @example prod-eu-west-1
             */
            secretRef?: string;
        };
        AddonRef: {
            /** @example flux */
            name: string;
            /**
             * @description Default: the catalog's version for a known add-on
             * @example 2.7.3
             */
            version?: string;
            /**
             * @description The release manifest to install (https); required for add-ons the catalog does not know (flux, external-secrets, kyverno, argo-cd)
             * @example https://github.com/cert-manager/cert-manager/releases/download/v1.19.1/cert-manager.yaml
             */
            url?: string;
            /** @description Digest the bundle must have; without it the first fetch pins it */
            sha256?: string;
            /** @description Where the add-on's controllers run */
            namespace?: string;
            /** @description `false` removes an add-on the class declares: its controllers are deleted, its CRDs (and the objects of their kinds) kept */
            enabled?: boolean;
            /** @description With `enabled: false`, also delete the add-on's CustomResourceDefinitions, and with them every object of their kinds on the cluster */
            removeCrds?: boolean;
            /** @description Take over an installation Fleetplane did not make (default: leave it alone) */
            adopt?: boolean;
        };
        RolloutStrategy: {
            waves?: components["schemas"]["RolloutWave"][];
            /**
             * @description Per cluster: no verdict from Argo CD by then is `TimeOut`; default 10m
             * @example 5m
             */
            progressDeadline?: string;
            analysis?: components["schemas"]["RolloutAnalysis"];
            maintenanceWindows?: components["schemas"]["MaintenanceWindow"][];
            /**
             * @description When a failure budget is exceeded; default pause
             * @enum {string}
             */
            onFailure?: "pause" | "rollback";
            /**
             * @description A target cluster that is unavailable when its turn comes or while it syncs (phase Unknown: its agent silent, its API server unreachable): `wait` (default) holds it, and its wave, until it is back; `skip` leaves it out of this rollout (state Skip) and the wave goes on. Neither counts against the failure budget.
             * @enum {string}
             */
            unavailableClusters?: "wait" | "skip";
        };
        RolloutWave: {
            /** @example prod-eu */
            name: string;
            /**
             * @description Target clusters that belong to this wave (the first matching wave wins)
             * @example region=eu-west-1
             */
            selector?: string;
            /**
             * @description Clusters progressing at once. A percentage is of the wave's clusters, rounded down but never below 1. Default: the whole wave.
             * @example 50%
             */
            maxConcurrency?: number | string;
            /**
             * @description Failed or timed-out clusters the wave tolerates. A percentage is of the wave's clusters, rounded down. Default 0.
             * @example 50%
             */
            maxFailures?: number | string;
            /**
             * @description Bake time after the wave succeeds, before the next
             * @example 5m
             */
            minSuccessTime?: string;
            /** @description Wait for `POST …/approve` before starting */
            requireApproval?: boolean;
        };
        RolloutAnalysis: {
            /** @example http://prometheus.monitoring:9090 */
            prometheusUrl: string;
            /**
             * @description Time between checks; default 1m
             * @example 5m
             */
            interval?: string;
            /** @description Failed checks that halt the rollout; default 1 */
            threshold?: number;
            metrics: components["schemas"]["AnalysisMetric"][];
        };
        AnalysisMetric: {
            /** @example request-success-rate */
            name: string;
            /** @description PromQL returning one number; `{{wave}}` and `{{clusters}}` (a regex alternation of the wave's cluster names) are substituted */
            query: string;
            min?: number;
            max?: number;
        };
        MaintenanceWindow: {
            /** @example prod-eu-west-1 */
            name?: string;
            /**
             * @description When the window opens (cron, UTC)
             * @example 0 2 * * *
             */
            schedule: string;
            /** @example 4h */
            duration: string;
            /** @description Clusters the window governs (e.g. `environment=production`); default every target */
            selector?: string;
        };
        ClusterClassStatus: {
            conditions: unknown[];
            observedGeneration: number;
        };
        ClusterClassInput: {
            /** @example prod-eu-west-1 */
            name: string;
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels?: {
                [key: string]: string;
            };
            description?: string;
            /**
             * @description `eks` (AWS EKS), `capi` (Cluster API on a management cluster) or `imported` (an existing cluster)
             * @enum {string}
             */
            provider: "eks" | "capi" | "imported";
            region?: string;
            /**
             * @description Default Kubernetes version of new clusters
             * @example 1.30
             */
            version?: string;
            /** @description Default worker pools of new clusters */
            workers?: components["schemas"]["WorkerPool"][];
            eks?: components["schemas"]["EksSettings"];
            capi?: components["schemas"]["CapiSettings"];
            fleetConfig?: components["schemas"]["FleetConfigRepo"];
            /**
             * @example {
             *       "logLevel": "info"
             *     }
             */
            values?: {
                [key: string]: string;
            };
            /** @description Platform add-ons of the class's clusters, with versions; default Flux, External Secrets and Kyverno (`[]`: none) */
            addons?: components["schemas"]["AddonRef"][];
            addonStrategy?: components["schemas"]["RolloutStrategy"] & unknown;
        };
        ClusterClassList: {
            items: components["schemas"]["ClusterClass"][];
            nextPageToken?: string;
        };
        ClusterClassPatch: {
            labels?: {
                [key: string]: string | null;
            };
            description?: string | null;
            region?: string | null;
            /** @example 1.30 */
            version?: string | null;
            workers?: components["schemas"]["WorkerPool"][] | null;
            eks?: components["schemas"]["EksSettings"] & (Record<string, never> | null);
            capi?: components["schemas"]["CapiSettings"] & (Record<string, never> | null);
            fleetConfig?: components["schemas"]["FleetConfigRepo"] & (Record<string, never> | null);
            /**
             * @example {
             *       "logLevel": "info"
             *     }
             */
            values?: {
                [key: string]: string;
            } | null;
            addons?: components["schemas"]["AddonRef"][] | null;
            addonStrategy?: components["schemas"]["RolloutStrategy"] & (Record<string, never> | null);
        };
        ClusterCreated: components["schemas"]["Cluster"] & {
            agentJoin?: components["schemas"]["AgentJoinGrant"];
        };
        EksOverrides: {
            roleArn?: string;
            nodeRoleArn?: string;
            subnetIds?: string[];
            securityGroupIds?: string[];
            endpointPublicAccess?: boolean;
        };
        ClusterStatus: {
            /** @enum {string} */
            phase: "Pending" | "Provisioning" | "Provisioned" | "Upgrading" | "Deleting" | "Failed" | "Unknown";
            conditions: components["schemas"]["Condition"][];
            observedGeneration: number;
            agent?: components["schemas"]["AgentStatus"];
            /** @description gitVersion reported by the API server */
            serverVersion?: string;
            /** @description API groups discovered on the cluster */
            apiGroups?: number;
            lastConnectedAt?: string;
            /** @description Kubernetes version the control plane runs */
            version?: string;
            /** @description API server URL of a provisioned cluster */
            endpoint?: string;
            /** @description The lifecycle operation in progress and its current step */
            operation?: {
                /** @enum {string} */
                type: "provision" | "upgrade" | "scale" | "delete";
                step: string;
                target?: string;
                updateId?: string;
            };
            /** @description Worker pools as the provider reports them */
            workers?: {
                name: string;
                status: string;
                version?: string;
                replicas?: number;
            }[];
            /** @description The latest reconcile's drift in the per-cluster deployment states; details at /drift */
            drift?: {
                /** @enum {string} */
                state: "Ready" | "OutOfSync" | "Modified" | "Unknown";
                modified: number;
                missing: number;
                pruneCandidates: number;
            };
            /** @description Each platform add-on: the version wanted and found, and its phase */
            addons?: components["schemas"]["AddonStatus"][];
            /** @description Add-ons removed whose CRDs (and the objects of their kinds) were kept; `removeCrds: true` on the removed add-on deletes them */
            addonCrdsKept?: {
                name: string;
                version: string;
                sha256: string;
            }[];
        };
        Condition: {
            type: string;
            /** @enum {string} */
            status: "True" | "False" | "Unknown";
            /** @description Why, in one word. Known values: Pending, Connecting, WaitingForAgent, AgentHeartbeat, Connected, Retrying, Provisioning, Provisioned, Deleting, AddonsReady, Installing, Upgrading, Progressing, Scaling, UpgradeComplete, ScaleComplete, ControlPlaneUpgradePending, MachineDeploymentsUpgradePending, CREATING, ACTIVE, UPDATING, DELETING, FAILED, PENDING, WaitingForAddon, NoDrift, PruneCandidates, OutOfSync, Modified, Unknown, Ready; or a problem code (see the problem types), or the outside system's own reason (AWS, Flux, Cluster API). Tolerate values not listed here. */
            reason: string;
            message: string;
            lastTransitionTime: string;
        };
        /** @description What the agent of an agent-mode cluster last reported */
        AgentStatus: {
            version?: string;
            joinedAt?: string;
            lastHeartbeatAt?: string;
            /** @description The agent's clock minus Fleetplane's */
            clockSkewMs?: number;
        };
        AddonStatus: {
            name: string;
            /** @description The version wanted */
            version: string;
            /** @description The version the controllers run */
            versionFound?: string;
            /** @enum {string} */
            phase: "Installing" | "Upgrading" | "Ready" | "Degraded" | "Failed";
            /** @description Fleetplane installed it (false: found installed and left alone) */
            managed: boolean;
            /** @description Why, in one word. Known values: Available, CRDNotEstablished, WaitingForCRDs, WaitingForControllers, InstalledByFluxAddon, WaitingForFluxAddon, FluxAddonNotReady, Adopted, BundleTooLarge, BundleURLNotAllowed, BundleUnavailable, BundleUnreachable, BundleDigestMismatch, InvalidBundle, NoBundleSource; or a problem code (see the problem types), or the outside system's own reason (AWS, Flux, Cluster API). Tolerate values not listed here. */
            reason: string;
            message: string;
            /** @description Digest of the bundle installed */
            sha256?: string;
            /** @description When the phase last changed */
            since: string;
        };
        /** @description Only for `connection.mode: agent`, only in this response: the agent's one-time join token */
        AgentJoinGrant: {
            /** @description One-time join token; also inside the install manifest */
            token: string;
            expiresAt: string;
            /** @description Path of the install manifest: `kubectl apply -f` it in the cluster */
            manifest: string;
        };
        Cluster: {
            /**
             * @description Immutable opaque id
             * @example cls_01JAB4Q8N3X0V6W5T0R7C2Y9ZK
             */
            id: string;
            /** @example prod-eu-west-1 */
            name: string;
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels: {
                [key: string]: string;
            };
            /** @description Bumped on every spec change */
            generation: number;
            /** @description Bumped on every write; also the ETag */
            revision: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            class: string;
            /**
             * @description `eks` (AWS EKS), `capi` (Cluster API on a management cluster) or `imported` (an existing cluster)
             * @enum {string}
             */
            provider: "eks" | "capi" | "imported";
            environment?: string;
            region?: string;
            version?: string;
            workers?: components["schemas"]["WorkerPool"][];
            wave?: number;
            /** @description The mode, and for `direct` the server URL: credentials are never returned */
            connection?: {
                /** @enum {string} */
                mode?: "direct" | "agent";
                server?: string;
            };
            eks?: components["schemas"]["EksOverrides"];
            values?: {
                [key: string]: string;
            };
            addons?: components["schemas"]["AddonRef"][];
            /**
             * @description What a reconcile does when objects this resource owns drifted on a cluster: `report` (the default) records and alerts; `remediate` also re-applies them (server-side apply, forced) and the next reconcile confirms
             * @example report
             * @enum {string}
             */
            driftPolicy?: "report" | "remediate";
            reconcileInterval?: string;
            status: components["schemas"]["ClusterStatus"];
        };
        ClusterCreate: {
            /** @example prod-eu-west-1 */
            name: string;
            /**
             * @description Cluster class name or id. Optional for an existing cluster (provider `imported`): without it the cluster joins the built-in `imported` class, created on first use
             * @example eks-cluster-class
             */
            class?: string;
            /**
             * @description Taken from the class when omitted
             * @enum {string}
             */
            provider?: "eks" | "capi" | "imported";
            /** @example production */
            environment?: string;
            /** @example eu-west-1 */
            region?: string;
            /** @example 1.30 */
            version?: string;
            workers?: components["schemas"]["WorkerPool"][];
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels?: {
                [key: string]: string;
            };
            /** @description Rollout wave hint */
            wave?: number;
            connection?: components["schemas"]["ClusterConnectionInput"];
            eks?: components["schemas"]["EksOverrides"] & unknown;
            /**
             * @description Fleet-config values; override the class's
             * @example {
             *       "logLevel": "info"
             *     }
             */
            values?: {
                [key: string]: string;
            };
            /** @description Add-on versions; override the class's and environment's */
            addons?: components["schemas"]["AddonRef"][];
            /**
             * @description What a reconcile does when objects this resource owns drifted on a cluster: `report` (the default) records and alerts; `remediate` also re-applies them (server-side apply, forced) and the next reconcile confirms
             * @example report
             * @enum {string}
             */
            driftPolicy?: "report" | "remediate";
            /**
             * @description How often this cluster is reconciled; default the fleet's (FLEET_RECONCILE_INTERVAL_SECONDS, 5m)
             * @example 5m
             */
            reconcileInterval?: string;
        };
        /** @description For imported clusters only */
        ClusterConnectionInput: {
            /**
             * @description `direct` (the default) or `agent`
             * @enum {string}
             */
            mode?: "direct" | "agent";
            /** @example https://api.prod-eu.example.com:6443 */
            server?: string;
            /** @description Base64 of the PEM CA bundle that signs the API server's certificate. Write-only. */
            caData?: string;
            /** @description Bearer token for the API server. Write-only: stored encrypted, never returned. */
            token?: string;
        };
        ClusterList: {
            items: components["schemas"]["Cluster"][];
            nextPageToken?: string;
        };
        ClusterPatch: {
            /** @example prod-eu-west-1 */
            environment?: string | null;
            region?: string | null;
            /** @example 1.30 */
            version?: string | null;
            workers?: components["schemas"]["WorkerPool"][] | null;
            labels?: {
                [key: string]: string | null;
            };
            wave?: number | null;
            values?: {
                [key: string]: string | null;
            } | null;
            addons?: components["schemas"]["AddonRef"][] | null;
            /**
             * @description What a reconcile does when objects this resource owns drifted on a cluster: `report` (the default) records and alerts; `remediate` also re-applies them (server-side apply, forced) and the next reconcile confirms
             * @example report
             * @enum {string|null}
             */
            driftPolicy?: "report" | "remediate" | null;
            /**
             * @description How often this cluster is reconciled; default the fleet's (FLEET_RECONCILE_INTERVAL_SECONDS, 5m)
             * @example 5m
             */
            reconcileInterval?: string | null;
            connection?: {
                server?: string;
                caData?: string | null;
                token?: string;
            };
        };
        ClusterManifests: {
            /** @description Cluster id */
            cluster: string;
            /**
             * @description Path of the cluster in the fleet-config repository
             * @example ./clusters/production/prod-eu-west-1
             */
            path?: string;
            /** @description Values substituted into the cluster's manifests after inheritance (class < environment < cluster < Fleetplane's own) */
            values: {
                [key: string]: string;
            };
            /** @description Which layer each value came from */
            valueSources: {
                [key: string]: "class" | "environment" | "cluster" | "fleetplane";
            };
            /** @description The platform add-ons the cluster should run, after inheritance */
            addons: {
                name: string;
                version: string;
                namespace: string;
                /** @description The bundle named by a layer, when not the catalog's */
                url?: string;
                /**
                 * @description The layer that decided it: `default` (the catalog's defaults), `class`, `environment`, `cluster`, `fleetplane` (Argo CD, because applications target the cluster), or `hold` (an add-on rollout keeps the cluster at this release until its wave, or after a rollback)
                 * @enum {string}
                 */
                source: "default" | "class" | "environment" | "cluster" | "fleetplane" | "hold";
                /** @description With `source: hold`: the rollout that holds it */
                heldBy?: string;
            }[];
            /** @description Add-ons a layer removed (`enabled: false`): their controllers are deleted; their CRDs only with `removeCrds` */
            removedAddons: {
                name: string;
                removeCrds: boolean;
            }[];
            /** @description Kubernetes objects, rendered */
            objects: {
                [key: string]: unknown;
            }[];
        };
        Environment: {
            /**
             * @description Immutable opaque id
             * @example cls_01JAB4Q8N3X0V6W5T0R7C2Y9ZK
             */
            id: string;
            /** @example prod-eu-west-1 */
            name: string;
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels: {
                [key: string]: string;
            };
            /** @description Bumped on every spec change */
            generation: number;
            /** @description Bumped on every write; also the ETag */
            revision: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            description?: string;
            values?: {
                [key: string]: string;
            };
            fleetConfig?: components["schemas"]["FleetConfigRepo"];
            addons?: components["schemas"]["AddonRef"][];
            addonStrategy?: components["schemas"]["RolloutStrategy"];
            status: components["schemas"]["EnvironmentStatus"];
        };
        EnvironmentStatus: {
            observedGeneration: number;
            /** @description Clusters whose `environment` is this one */
            clusters: number;
        };
        EnvironmentSpec: {
            /**
             * @description Matched against clusters' `environment`
             * @example production
             */
            name: string;
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels?: {
                [key: string]: string;
            };
            description?: string;
            /**
             * @description Fleet-config values for the environment's clusters; override the class's, overridden by the cluster's
             * @example {
             *       "logLevel": "info"
             *     }
             */
            values?: {
                [key: string]: string;
            };
            fleetConfig?: components["schemas"]["FleetConfigRepo"] & unknown;
            /** @description Add-on versions for the environment's clusters: override the class's, overridden by the cluster's */
            addons?: components["schemas"]["AddonRef"][];
            addonStrategy?: components["schemas"]["RolloutStrategy"] & unknown;
        };
        EnvironmentList: {
            items: components["schemas"]["Environment"][];
            nextPageToken?: string;
        };
        EnvironmentPatch: {
            labels?: {
                [key: string]: string | null;
            };
            description?: string | null;
            values?: {
                [key: string]: string | null;
            } | null;
            fleetConfig?: {
                [key: string]: unknown;
            } | null;
            addons?: components["schemas"]["AddonRef"][] | null;
            addonStrategy?: components["schemas"]["RolloutStrategy"] & (Record<string, never> | null);
        };
        TokenWithSecret: components["schemas"]["Token"] & {
            /** @description The bearer token. Shown only in this response; store it now. */
            token: string;
        };
        Token: {
            id: string;
            name: string;
            /** @enum {string} */
            role: "admin" | "tenant";
            tenant?: string;
            createdAt: string;
            expiresAt?: string;
            revokedAt?: string;
        };
        TokenCreate: {
            /** @example ci-pipeline */
            name: string;
            /**
             * Format: date-time
             * @description When the token stops working; never when omitted
             */
            expiresAt?: string;
        };
        TokenList: {
            items: components["schemas"]["Token"][];
            nextPageToken?: string;
        };
        JobList: {
            items: components["schemas"]["Job"][];
            nextPageToken?: string;
        };
        Job: {
            id: string;
            /**
             * @example connectCluster
             * @enum {string}
             */
            kind: "connectCluster" | "installAddons" | "deleteCluster" | "provisionCluster" | "upgradeCluster" | "scaleCluster" | "reconcileCluster" | "placeTenant" | "placeClusterTenants" | "finalizeTenant" | "advanceRollout" | "syncApplication" | "syncAddon" | "removeApplication" | "deliverNotification";
            /** @description Id of the cluster the function acts on */
            cluster?: string;
            /** @description Its name, while the cluster exists */
            clusterName?: string;
            resource: {
                type: string;
                id: string;
            };
            /** @enum {string} */
            state: "Queued" | "Running" | "Succeeded" | "Failed" | "Cancelled";
            attempts: number;
            maxAttempts: number;
            runAfter: string;
            leaseUntil?: string;
            lastError?: string;
            message?: string;
            createdAt: string;
            updatedAt: string;
            finishedAt?: string;
        };
        EventList: {
            items: components["schemas"]["Event"][];
            nextPageToken?: string;
        };
        Event: {
            id: string;
            time: string;
            /** @enum {string} */
            type: "Normal" | "Warning";
            /** @description Why, in one word. Known values: Created, Updated, Deleted, DeletionRequested, Registered, AgentJoined, AgentSilent, AgentReconnected, Connected, Provisioned, UpgradeComplete, ScaleComplete, ReconcileRequested, ClusterUnreachable, ClusterReachable, AddonReady, AddonDegraded, AddonFailed, AddonRemoved, NoDrift, DriftDetected, DriftResolved, Remediated, DriftRepaired, NeverReconciled, Onboarded, OffboardingRequested, Offboarded, Removed, Ready, NotReady, WaitApplied, ErrApplied, OutOfSync, Modified, TokenCreated, SecretCreated, SecretUpdated, SecretRotated, SecretResealed, SecretDeletionRequested, SecretDeleted, Revoked, RolloutStarted, RollbackStarted, RolloutPause, RolloutResume, RolloutAbort, RolloutApprove, RolloutRollback, RolloutRolledBack, ClusterFailed, ClusterTimedOut, FailureBudgetExceeded, AnalysisFailed, RolloutProgressing, RolloutSucceeded, WaitingApproval, WaveStarted, WaveApplied, AnalysisCheckFailed, WaveSucceeded, JobRetried, JobFailed, DeadLettered; or a problem code (see the problem types), or the outside system's own reason (AWS, Flux, Cluster API). Tolerate values not listed here. */
            reason: string;
            resource: {
                type: string;
                id: string;
                name?: string;
            };
            /** @description Token id, or `system` for functions and the scheduler */
            actor: string;
            requestId?: string;
            message: string;
            diff?: {
                [key: string]: unknown;
            };
        };
        Tenant: {
            /**
             * @description Immutable opaque id
             * @example cls_01JAB4Q8N3X0V6W5T0R7C2Y9ZK
             */
            id: string;
            /** @example prod-eu-west-1 */
            name: string;
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels: {
                [key: string]: string;
            };
            /** @description Bumped on every spec change */
            generation: number;
            /** @description Bumped on every write; also the ETag */
            revision: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            namespace: string;
            source: components["schemas"]["TenantSource"];
            placement: components["schemas"]["TenantPlacement"];
            healthChecks?: components["schemas"]["TenantHealthCheck"][];
            interval?: string;
            /**
             * @description What a reconcile does when objects this resource owns drifted on a cluster: `report` (the default) records and alerts; `remediate` also re-applies them (server-side apply, forced) and the next reconcile confirms
             * @example report
             * @enum {string}
             */
            driftPolicy?: "report" | "remediate";
            status: components["schemas"]["TenantStatus"];
        };
        TenantSource: {
            /** @example https://github.com/acme/payments-k8s */
            url: string;
            /**
             * @description Default `main`
             * @example main
             */
            branch?: string;
            /**
             * @description Directory in the repository Flux builds; default the root
             * @example ./k8s
             */
            path?: string;
            /**
             * @description Secret in flux-system holding the Git credentials
             * @example team-payments-github-token
             */
            secretRef?: string;
        };
        TenantPlacement: {
            /**
             * @description Clusters whose labels match get the tenant; `""` matches every cluster
             * @example tier=prod
             */
            labelSelector: string;
        };
        TenantHealthCheck: {
            /** @example apps/v1 */
            apiVersion: string;
            /** @example Deployment */
            kind: string;
            /** @example payments-api */
            name: string;
            /**
             * @description Must be the tenant's namespace (the default)
             * @example prod-eu-west-1
             */
            namespace?: string;
        };
        TenantStatus: {
            /** @enum {string} */
            phase: "Pending" | "Ready" | "NotReady" | "Deleting";
            conditions: components["schemas"]["Condition"][];
            observedGeneration: number;
            clusters: components["schemas"]["TenantClusterStatus"][];
            summary: {
                desired: number;
                ready: number;
            };
        };
        TenantClusterStatus: {
            /**
             * @description Cluster name
             * @example prod-eu-west-1
             */
            cluster: string;
            clusterId: string;
            /** @enum {string} */
            state: "Ready" | "NotReady" | "Pending" | "OutOfSync" | "Modified" | "WaitApplied" | "ErrApplied";
            /**
             * @description `absent` while the tenant is removed from it
             * @enum {string}
             */
            desired: "present" | "absent";
            message: string;
        };
        TenantCreate: {
            /** @example team-payments */
            name: string;
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels?: {
                [key: string]: string;
            };
            /**
             * @description The tenant's namespace on every cluster
             * @example team-payments
             */
            namespace: string;
            source: components["schemas"]["TenantSource"];
            placement: components["schemas"]["TenantPlacement"];
            healthChecks?: components["schemas"]["TenantHealthCheck"][];
            /**
             * @description How often Flux reconciles the tenant; default `5m`
             * @example 5m
             */
            interval?: string;
            /**
             * @description What a reconcile does when objects this resource owns drifted on a cluster: `report` (the default) records and alerts; `remediate` also re-applies them (server-side apply, forced) and the next reconcile confirms
             * @example report
             * @enum {string}
             */
            driftPolicy?: "report" | "remediate";
        };
        TenantList: {
            items: components["schemas"]["Tenant"][];
            nextPageToken?: string;
        };
        TenantPatch: {
            labels?: {
                [key: string]: string | null;
            };
            source?: {
                url?: string;
                branch?: string | null;
                path?: string | null;
                secretRef?: string | null;
            };
            placement?: components["schemas"]["TenantPlacement"];
            healthChecks?: components["schemas"]["TenantHealthCheck"][] | null;
            /** @example 5m */
            interval?: string | null;
            /**
             * @description What a reconcile does when objects this resource owns drifted on a cluster: `report` (the default) records and alerts; `remediate` also re-applies them (server-side apply, forced) and the next reconcile confirms
             * @example report
             * @enum {string|null}
             */
            driftPolicy?: "report" | "remediate" | null;
        };
        Secret: {
            /**
             * @description Immutable opaque id
             * @example cls_01JAB4Q8N3X0V6W5T0R7C2Y9ZK
             */
            id: string;
            /** @example prod-eu-west-1 */
            name: string;
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels: {
                [key: string]: string;
            };
            /** @description Bumped on every spec change */
            generation: number;
            /** @description Bumped on every write; also the ETag */
            revision: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description Tenant id */
            tenant: string;
            namespace?: string;
            /**
             * @description As written; absent means external-secrets
             * @enum {string}
             */
            delivery?: "external-secrets" | "sealed-secrets";
            /**
             * @description As written; absent means strict
             * @enum {string}
             */
            scope?: "strict" | "namespace-wide" | "cluster-wide";
            remoteRef?: components["schemas"]["SecretRemoteRef"];
            refreshInterval?: string;
            /** @enum {string} */
            creationPolicy?: "Owner" | "Orphan" | "Merge" | "None";
            /** @enum {string} */
            deletionPolicy?: "Retain" | "Delete" | "Merge";
            /**
             * @description What a reconcile does when objects this resource owns drifted on a cluster: `report` (the default) records and alerts; `remediate` also re-applies them (server-side apply, forced) and the next reconcile confirms
             * @example report
             * @enum {string}
             */
            driftPolicy?: "report" | "remediate";
            /** @description Key names of the value (never the values) */
            keys: string[];
            /** @description Where a managed value lives; absent for remoteRef secrets */
            secretsManager?: {
                name: string;
                arn: string;
                versionId: string;
            };
            status: components["schemas"]["SecretStatus"];
        };
        SecretRemoteRef: {
            /** @example prod/payments/db */
            key: string;
            /**
             * @description JSON key inside the secret
             * @example password
             */
            property?: string;
            version?: string;
        };
        SecretStatus: {
            /** @enum {string} */
            phase: "Pending" | "Ready" | "NotReady" | "Deleting";
            conditions: components["schemas"]["Condition"][];
            observedGeneration: number;
            clusters: {
                cluster: string;
                clusterId: string;
                /** @description Fleet state of this secret's ExternalSecret or SealedSecret on the cluster */
                state: string;
            }[];
        };
        SecretInput: {
            /** @example db-password */
            name: string;
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels?: {
                [key: string]: string;
            };
            /**
             * @description Must be the tenant's namespace (the default)
             * @example prod-eu-west-1
             */
            namespace?: string;
            /**
             * @description `external-secrets` (the default): the value goes to AWS Secrets Manager and reaches each cluster as an ExternalSecret. `sealed-secrets`: for fleets without a cloud secret store, the value is sealed for each cluster's sealed-secrets controller (its certificate, fetched from the cluster) and applied as a Bitnami SealedSecret; Fleetplane keeps it only encrypted with its own key, to seal it for clusters placed later. Cannot be changed.
             * @enum {string}
             */
            delivery?: "external-secrets" | "sealed-secrets";
            /**
             * @description sealed-secrets only: where the controller may unseal it. `strict` (default): only as this Secret's name in the tenant's namespace; `namespace-wide`: any name in the namespace; `cluster-wide`: anywhere
             * @enum {string}
             */
            scope?: "strict" | "namespace-wide" | "cluster-wide";
            /**
             * @description Write-only, never returned: stored in AWS Secrets Manager (external-secrets), or sealed for each cluster (sealed-secrets)
             * @example {
             *       "password": "<write-only>"
             *     }
             */
            data?: {
                [key: string]: string;
            };
            remoteRef?: components["schemas"]["SecretRemoteRef"] & unknown;
            /**
             * @description How often ESO re-reads the value; default `1h`
             * @example 1h
             */
            refreshInterval?: string;
            /**
             * @description ExternalSecret target.creationPolicy; default `Owner`
             * @enum {string}
             */
            creationPolicy?: "Owner" | "Orphan" | "Merge" | "None";
            /**
             * @description ExternalSecret target.deletionPolicy
             * @enum {string}
             */
            deletionPolicy?: "Retain" | "Delete" | "Merge";
            /**
             * @description What a reconcile does when objects this resource owns drifted on a cluster: `report` (the default) records and alerts; `remediate` also re-applies them (server-side apply, forced) and the next reconcile confirms
             * @example report
             * @enum {string}
             */
            driftPolicy?: "report" | "remediate";
        };
        SecretList: {
            items: components["schemas"]["Secret"][];
            nextPageToken?: string;
        };
        Application: {
            /**
             * @description Immutable opaque id
             * @example cls_01JAB4Q8N3X0V6W5T0R7C2Y9ZK
             */
            id: string;
            /** @example prod-eu-west-1 */
            name: string;
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels: {
                [key: string]: string;
            };
            /** @description Bumped on every spec change */
            generation: number;
            /** @description Bumped on every write; also the ETag */
            revision: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            tenant?: string;
            source: components["schemas"]["ApplicationSource"];
            destination: components["schemas"]["ApplicationDestination"];
            targets: components["schemas"]["ApplicationTargets"];
            syncPolicy?: components["schemas"]["SyncPolicy"];
            strategy?: components["schemas"]["RolloutStrategy"];
            /**
             * @description What a reconcile does when objects this resource owns drifted on a cluster: `report` (the default) records and alerts; `remediate` also re-applies them (server-side apply, forced) and the next reconcile confirms
             * @example report
             * @enum {string}
             */
            driftPolicy?: "report" | "remediate";
            status: components["schemas"]["ApplicationStatus"];
        };
        ApplicationSource: {
            /** @example https://github.com/acme/payments-k8s */
            repoURL: string;
            /** @example apps/payments-api */
            path?: string;
            /** @description Helm chart name (Helm repositories) */
            chart?: string;
            /**
             * @description Branch, tag, commit or chart version
             * @example v1.4.2
             */
            targetRevision: string;
            helm?: {
                valueFiles?: string[];
                /** @description Inline Helm values (YAML) */
                values?: string;
            };
        };
        ApplicationDestination: {
            /** @example payments */
            namespace: string;
            createNamespace?: boolean;
        };
        ApplicationTargets: {
            /**
             * @description Target clusters by label; `environment`, `region` and `name` match the cluster's own fields unless a label of that key exists. `""` targets every cluster.
             * @example app-tier=payments
             */
            labelSelector?: string;
            /** @description An explicit list, like a list generator; `wave` places a cluster in the n-th wave */
            clusters?: {
                /** @example prod-eu-west-1 */
                name: string;
                wave?: number;
            }[];
        };
        SyncPolicy: {
            prune?: boolean;
            selfHeal?: boolean;
        };
        ApplicationStatus: {
            /**
             * @description `RolledBack`: the latest rollout took the fleet back; the clusters run that release, and the spec's waits for a new rollout
             * @enum {string}
             */
            phase: "Pending" | "Progressing" | "Synced" | "RolledBack" | "Degraded" | "Deleting";
            conditions: components["schemas"]["Condition"][];
            observedGeneration: number;
            latestRollout: {
                id: string;
                number: number;
                /** @enum {string} */
                phase: "Pending" | "Progressing" | "Paused" | "WaitingApproval" | "Succeeded" | "Failed" | "Aborted" | "RolledBack";
                kind: string;
            } | null;
            clusters: {
                cluster: string;
                clusterId: string;
                targetRevision: string;
                health: string;
                sync: string;
            }[];
            /** @description What the fleet runs of the application, against what the spec asks */
            summary: {
                /** @description The revision the spec names */
                wantedRevision: string;
                /** @description How many clusters run each revision, as they last reported */
                running: {
                    [key: string]: number;
                };
            };
        };
        ApplicationCreate: {
            /** @example payments-api */
            name: string;
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels?: {
                [key: string]: string;
            };
            /**
             * @description Owning tenant; its token may manage the application
             * @example prod-eu-west-1
             */
            tenant?: string;
            source: components["schemas"]["ApplicationSource"];
            destination: components["schemas"]["ApplicationDestination"];
            targets: components["schemas"]["ApplicationTargets"];
            syncPolicy?: components["schemas"]["SyncPolicy"];
            strategy?: components["schemas"]["RolloutStrategy"];
            /**
             * @description What a reconcile does when objects this resource owns drifted on a cluster: `report` (the default) records and alerts; `remediate` also re-applies them (server-side apply, forced) and the next reconcile confirms
             * @example report
             * @enum {string}
             */
            driftPolicy?: "report" | "remediate";
        };
        ApplicationList: {
            items: components["schemas"]["Application"][];
            nextPageToken?: string;
        };
        /** @description JSON merge patch of the application's fields (`name` and `tenant` cannot change) */
        ApplicationPatch: {
            [key: string]: unknown;
        };
        Rollout: {
            /** @example rol_01JAB4Q8N3X0V6W5T0R7C2Y9ZK */
            id: string;
            /** @description What moves: an application, or one add-on's version across the fleet */
            subject: {
                /** @enum {string} */
                kind: "Application" | "Addon";
                name: string;
            };
            /** @description The application's name (application rollouts) */
            application?: string;
            applicationId?: string;
            /** @description 1, 2, 3… per application or add-on */
            number: number;
            /** @enum {string} */
            kind: "rollout" | "rollback";
            revision: number;
            release: {
                source: components["schemas"]["ApplicationSource"];
                destination: components["schemas"]["ApplicationDestination"];
                syncPolicy?: components["schemas"]["SyncPolicy"];
                generation: number;
            } | {
                addon: {
                    name: string;
                    version: string;
                    url?: string;
                    sha256?: string;
                };
            };
            rollbackOf: string | null;
            rolledBackBy: string | null;
            supersededBy: string | null;
            createdBy: string;
            createdAt: string;
            updatedAt: string;
            finishedAt: string | null;
            status: {
                /** @enum {string} */
                phase: "Pending" | "Progressing" | "Paused" | "WaitingApproval" | "Succeeded" | "Failed" | "Aborted" | "RolledBack" | "RollingBack";
                /** @description Why, in one word. Known values: Created, Started, WaitingApproval, Approved, PausedByUser, Resumed, AbortedByUser, Superseded, ApplicationDeleted, BudgetExceeded, AnalysisFailed, AllWavesSucceeded, EngineError; or a problem code (see the problem types), or the outside system's own reason (AWS, Flux, Cluster API). Tolerate values not listed here. */
                reason: string;
                message: string;
                currentWave: string | null;
                /** @description What the rollout waits for, in words */
                waitingFor: string[];
                summary: {
                    ToApply?: number;
                    Progressing?: number;
                    Succeeded?: number;
                    Failed?: number;
                    TimeOut?: number;
                    Skip?: number;
                };
                waves: components["schemas"]["RolloutWaveStatus"][];
            };
        };
        RolloutWaveStatus: {
            index: number;
            name: string;
            /** @enum {string} */
            state: "Pending" | "WaitingApproval" | "Progressing" | "Baking" | "Succeeded" | "Failed" | "Skipped";
            /** @description Resolved from the strategy for this wave's size */
            maxConcurrency: number;
            maxFailures: number;
            counts: {
                ToApply?: number;
                Progressing?: number;
                Succeeded?: number;
                Failed?: number;
                TimeOut?: number;
                Skip?: number;
            };
            startedAt: string | null;
            finishedAt: string | null;
            bakeUntil: string | null;
            approvedBy: string | null;
            analysis: {
                checks: number;
                failedChecks: number;
                results: components["schemas"]["MetricResult"][];
            } | null;
            clusters: components["schemas"]["RolloutTarget"][];
        };
        MetricResult: {
            metric: string;
            value: number | null;
            passed: boolean;
            message: string;
            at: string;
        };
        RolloutTarget: {
            cluster: string;
            clusterId: string;
            /** @enum {string} */
            state: "ToApply" | "Progressing" | "Succeeded" | "Failed" | "TimeOut" | "Skip";
            message: string;
            startedAt: string | null;
            finishedAt: string | null;
        };
        /** @description Rolls the application's current spec out again */
        RolloutStart: {
            reason?: string;
        };
        RolloutList: {
            items: components["schemas"]["Rollout"][];
            nextPageToken?: string;
        };
        AddonRolloutList: {
            items: components["schemas"]["Rollout"][];
            nextPageToken?: string;
        };
        DriftReport: {
            cluster: {
                id: string;
                name: string;
            };
            /**
             * @description Per-cluster deployment state: `Modified` (fields changed by someone else), `OutOfSync` (objects missing or no longer wanted), `Unknown` (the cluster could not be read; `reason` says why)
             * @enum {string}
             */
            state: "NeverReconciled" | "Ready" | "OutOfSync" | "Modified" | "Unknown";
            reason: string;
            message: string;
            reconciledAt: string | null;
            durationSeconds: number | null;
            items: components["schemas"]["DriftItem"][];
            /** @description An LLM's narrative of the drift, when one is configured (FLEET_LLM_URL) */
            narrative: string | null;
        };
        DriftItem: {
            /** @enum {string} */
            type: "Modified" | "Missing" | "PruneCandidate";
            apiVersion: string;
            kind: string;
            namespace: string | null;
            name: string;
            /** @description The Fleetplane resource the object exists for; null for prune candidates */
            owner: {
                type: string;
                id: string;
                name: string;
            } | null;
            /**
             * @description Field path of a Modified item
             * @example .spec.prune
             */
            path: string | null;
            /** @description What Fleetplane applies at the path */
            desired?: unknown;
            /** @description What the cluster has at the path */
            live?: unknown;
            /** @description The field manager that owns the path now, from metadata.managedFields */
            manager: {
                name: string;
                operation: string;
                time: string | null;
            } | null;
            explanation: {
                /** @enum {string} */
                cause: "ManualEdit" | "OwnerConflict" | "AdmissionMutation" | "Deleted" | "NoLongerWanted" | "Unreachable";
                summary: string;
                meaning: string;
                remediation: string;
            };
        };
        PrometheusRule: {
            /** @enum {string} */
            apiVersion: "monitoring.coreos.com/v1";
            /** @enum {string} */
            kind: "PrometheusRule";
            metadata: {
                name: string;
                namespace: string;
                labels: {
                    [key: string]: string;
                };
            };
            spec: {
                groups: {
                    name: string;
                    rules: {
                        alert: string;
                        expr: string;
                        for: string;
                        labels: {
                            [key: string]: string;
                        };
                        annotations: {
                            [key: string]: string;
                        };
                    }[];
                }[];
            };
        };
        NotificationProvider: {
            /**
             * @description Immutable opaque id
             * @example cls_01JAB4Q8N3X0V6W5T0R7C2Y9ZK
             */
            id: string;
            /** @example prod-eu-west-1 */
            name: string;
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels: {
                [key: string]: string;
            };
            /** @description Bumped on every spec change */
            generation: number;
            /** @description Bumped on every write; also the ETag */
            revision: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @enum {string} */
            type: "webhook" | "slack";
            /** @description The receiver URL; for `slack` only its origin */
            url: string;
            /** @description Whether deliveries are signed (a signing secret is set) */
            signed: boolean;
            status: {
                conditions: components["schemas"]["Condition"][];
                observedGeneration: number;
            };
        };
        NotificationProviderCreate: {
            /** @example prod-eu-west-1 */
            name: string;
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels?: {
                [key: string]: string;
            };
            /**
             * @description `webhook` (JSON, signed) or `slack` (incoming webhook)
             * @enum {string}
             */
            type: "webhook" | "slack";
            /**
             * @description Receiver URL (https, or http for hosts in FLEET_URL_ALLOW). For `slack` it is write-only: Slack's webhook URL is itself a credential
             * @example https://alerts.example.com/fleetplane
             */
            url: string;
            /** @description Write-only. Every delivery carries `X-Fleetplane-Signature: sha256=<hex>`, the HMAC-SHA256 of the body under this secret */
            signingSecret?: string;
        };
        NotificationProviderList: {
            items: components["schemas"]["NotificationProvider"][];
            nextPageToken?: string;
        };
        NotificationProviderPatch: {
            labels?: {
                [key: string]: string | null;
            };
            url?: string;
            /** @description Write-only. Every delivery carries `X-Fleetplane-Signature: sha256=<hex>`, the HMAC-SHA256 of the body under this secret */
            signingSecret?: string | null;
        };
        AlertRule: {
            /**
             * @description Immutable opaque id
             * @example cls_01JAB4Q8N3X0V6W5T0R7C2Y9ZK
             */
            id: string;
            /** @example prod-eu-west-1 */
            name: string;
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels: {
                [key: string]: string;
            };
            /** @description Bumped on every spec change */
            generation: number;
            /** @description Bumped on every write; also the ETag */
            revision: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description Provider names the matching events go to */
            providers: string[];
            /** @description Event reasons to send (e.g. DriftDetected, ClusterUnreachable); all when absent */
            reasons?: string[];
            /** @description Resource types to send (Cluster, Tenant, …); all when absent */
            resourceTypes?: string[];
            /** @description `warning` (Warning events) and/or `info` (Normal events); all when absent */
            severities?: ("info" | "warning")[];
            status: {
                conditions: components["schemas"]["Condition"][];
                observedGeneration: number;
            };
        };
        AlertRuleCreate: {
            /** @example prod-eu-west-1 */
            name: string;
            /**
             * @example {
             *       "tier": "prod"
             *     }
             */
            labels?: {
                [key: string]: string;
            };
            /** @description Provider names the matching events go to */
            providers: string[];
            /** @description Event reasons to send (e.g. DriftDetected, ClusterUnreachable); all when absent */
            reasons?: string[];
            /** @description Resource types to send (Cluster, Tenant, …); all when absent */
            resourceTypes?: string[];
            /** @description `warning` (Warning events) and/or `info` (Normal events); all when absent */
            severities?: ("info" | "warning")[];
        };
        AlertRuleList: {
            items: components["schemas"]["AlertRule"][];
            nextPageToken?: string;
        };
        AlertRulePatch: {
            labels?: {
                [key: string]: string | null;
            };
            /** @description Provider names the matching events go to */
            providers?: string[];
            reasons?: string[] | null;
            resourceTypes?: string[] | null;
            severities?: ("info" | "warning")[] | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    agentJoin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentJoinRequest"];
            };
        };
        responses: {
            /** @description Joined */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentJoinResponse"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    agentDoorbell: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switched to the WebSocket; each `work` message means: ask for work now */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This path speaks WebSocket only: send an Upgrade request */
            426: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    agentHeartbeat: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentHeartbeat"];
            };
        };
        responses: {
            /** @description Recorded */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentHeartbeatResponse"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    agentWork: {
        parameters: {
            query?: {
                /** @description The last `seq` the agent finished */
                after?: number | null;
                /** @description Seconds to hold the request open while there is no work */
                wait?: number | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Work to do (possibly none) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentWorkList"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    agentReport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentReport"];
            };
        };
        responses: {
            /** @description Recorded */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentReportAccepted"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listClusterClasses: {
        parameters: {
            query?: {
                /** @description Items per page (1-500, default 50; out-of-range values are clamped) */
                pageSize?: number | null;
                /** @description Opaque token from a previous nextPageToken */
                pageToken?: string;
                /** @description Kubernetes-style label selector: a=b, a!=b, a in (x,y), a notin (x), a, !a */
                labelSelector?: string;
                /** @description `eks` (AWS EKS), `capi` (Cluster API on a management cluster) or `imported` (an existing cluster) */
                provider?: "eks" | "capi" | "imported";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of cluster classes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterClassList"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createClusterClass: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a POST safe to retry: the same key and body replay the first response for 24 h */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClusterClassInput"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterClass"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getClusterClass: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cluster class */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterClass"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    replaceClusterClass: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClusterClassInput"];
            };
        };
        responses: {
            /** @description The replaced cluster class */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterClass"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteClusterClass: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchClusterClass: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["ClusterClassPatch"];
                "application/json": components["schemas"]["ClusterClassPatch"];
            };
        };
        responses: {
            /** @description The updated cluster class */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterClass"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listClusters: {
        parameters: {
            query?: {
                /** @description Items per page (1-500, default 50; out-of-range values are clamped) */
                pageSize?: number | null;
                /** @description Opaque token from a previous nextPageToken */
                pageToken?: string;
                /** @description Kubernetes-style label selector: a=b, a!=b, a in (x,y), a notin (x), a, !a */
                labelSelector?: string;
                environment?: string;
                phase?: "Pending" | "Provisioning" | "Provisioned" | "Upgrading" | "Deleting" | "Failed" | "Unknown";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of clusters */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterList"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createCluster: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a POST safe to retry: the same key and body replay the first response for 24 h */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClusterCreate"];
            };
        };
        responses: {
            /** @description Accepted; the cluster's functions are queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterCreated"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCluster: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cluster; ETag carries its revision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cluster"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteCluster: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deletion accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cluster"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchCluster: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["ClusterPatch"];
                "application/json": components["schemas"]["ClusterPatch"];
            };
        };
        responses: {
            /** @description The updated cluster */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cluster"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getClusterManifests: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rendered objects and their values */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterManifests"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reconcileCluster: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Reconcile queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cluster"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getClusterAgentManifest: {
        parameters: {
            query?: {
                /** @description The agent image to run (default: the host's FLEET_AGENT_IMAGE) */
                image?: string;
            };
            header?: never;
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The install manifest */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/yaml": string;
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    grantClusterAgentJoin: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The join token and where its manifest is */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentJoinGrant"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listEnvironments: {
        parameters: {
            query?: {
                /** @description Items per page (1-500, default 50; out-of-range values are clamped) */
                pageSize?: number | null;
                /** @description Opaque token from a previous nextPageToken */
                pageToken?: string;
                /** @description Kubernetes-style label selector: a=b, a!=b, a in (x,y), a notin (x), a, !a */
                labelSelector?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of environments */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnvironmentList"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createEnvironment: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a POST safe to retry: the same key and body replay the first response for 24 h */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EnvironmentSpec"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Environment"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getEnvironment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The environment; ETag carries its revision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Environment"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    replaceEnvironment: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EnvironmentSpec"];
            };
        };
        responses: {
            /** @description The replaced environment */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Environment"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteEnvironment: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchEnvironment: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["EnvironmentPatch"];
                "application/json": components["schemas"]["EnvironmentPatch"];
            };
        };
        responses: {
            /** @description The updated environment */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Environment"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTokens: {
        parameters: {
            query?: {
                /** @description Items per page (1-500, default 50; out-of-range values are clamped) */
                pageSize?: number | null;
                /** @description Opaque token from a previous nextPageToken */
                pageToken?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of tokens */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenList"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a POST safe to retry: the same key and body replay the first response for 24 h */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenCreate"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenWithSecret"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked (also when it already was) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listJobs: {
        parameters: {
            query?: {
                /** @description Items per page (1-500, default 50; out-of-range values are clamped) */
                pageSize?: number | null;
                /** @description Opaque token from a previous nextPageToken */
                pageToken?: string;
                /** @description Cluster id or name */
                cluster?: string;
                /** @description One state or several, comma separated */
                state?: string;
                kind?: "connectCluster" | "installAddons" | "deleteCluster" | "provisionCluster" | "upgradeCluster" | "scaleCluster" | "reconcileCluster" | "placeTenant" | "placeClusterTenants" | "finalizeTenant" | "advanceRollout" | "syncApplication" | "syncAddon" | "removeApplication" | "deliverNotification";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of jobs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobList"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retryJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job, queued again */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                /** @description Items per page (1-500, default 50; out-of-range values are clamped) */
                pageSize?: number | null;
                /** @description Opaque token from a previous nextPageToken */
                pageToken?: string;
                /** @description Resource id or name */
                resource?: string;
                /** @description Only events with one of these reasons (comma-separated) */
                reason?: string;
                /** @description RFC 3339 timestamp */
                since?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventList"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    streamEvents: {
        parameters: {
            query?: {
                /** @description Resource id or name */
                resource?: string;
                /** @description Only events with one of these reasons (comma-separated) */
                reason?: string;
                /** @description Replay from this RFC 3339 timestamp */
                since?: string;
            };
            header?: {
                /** @description The last event received: the stream resumes after it */
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The stream of events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTenants: {
        parameters: {
            query?: {
                /** @description Items per page (1-500, default 50; out-of-range values are clamped) */
                pageSize?: number | null;
                /** @description Opaque token from a previous nextPageToken */
                pageToken?: string;
                /** @description Kubernetes-style label selector: a=b, a!=b, a in (x,y), a notin (x), a, !a */
                labelSelector?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of tenants */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantList"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createTenant: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a POST safe to retry: the same key and body replay the first response for 24 h */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TenantCreate"];
            };
        };
        responses: {
            /** @description Accepted; placement is queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant with per-cluster state; ETag carries its revision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteTenant: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Offboarding accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchTenant: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["TenantPatch"];
                "application/json": components["schemas"]["TenantPatch"];
            };
        };
        responses: {
            /** @description The updated tenant */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createTenantToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a POST safe to retry: the same key and body replay the first response for 24 h */
                "idempotency-key"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenCreate"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenWithSecret"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSecrets: {
        parameters: {
            query?: {
                /** @description Items per page (1-500, default 50; out-of-range values are clamped) */
                pageSize?: number | null;
                /** @description Opaque token from a previous nextPageToken */
                pageToken?: string;
                /** @description Kubernetes-style label selector: a=b, a!=b, a in (x,y), a notin (x), a, !a */
                labelSelector?: string;
            };
            header?: never;
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of secrets */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretList"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createSecret: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a POST safe to retry: the same key and body replay the first response for 24 h */
                "idempotency-key"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SecretInput"];
            };
        };
        responses: {
            /** @description Accepted; the clusters are being wired */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service Fleetplane depends on (e.g. AWS Secrets Manager) failed or is unavailable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id or name */
                ref: string;
                /** @description Secret id or name */
                secretRef: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secret; ETag carries its revision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    replaceSecret: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
                /** @description Secret id or name */
                secretRef: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SecretInput"];
            };
        };
        responses: {
            /** @description The updated secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service Fleetplane depends on (e.g. AWS Secrets Manager) failed or is unavailable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteSecret: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
                /** @description Secret id or name */
                secretRef: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deletion accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listApplications: {
        parameters: {
            query?: {
                /** @description Items per page (1-500, default 50; out-of-range values are clamped) */
                pageSize?: number | null;
                /** @description Opaque token from a previous nextPageToken */
                pageToken?: string;
                /** @description Kubernetes-style label selector: a=b, a!=b, a in (x,y), a notin (x), a, !a */
                labelSelector?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of applications */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApplicationList"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createApplication: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a POST safe to retry: the same key and body replay the first response for 24 h */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApplicationCreate"];
            };
        };
        responses: {
            /** @description Created; the first rollout is running */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Application"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApplication: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The application; ETag carries its revision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Application"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteApplication: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deletion accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Application"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchApplication: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["ApplicationPatch"];
                "application/json": components["schemas"]["ApplicationPatch"];
            };
        };
        responses: {
            /** @description The updated application */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Application"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listRollouts: {
        parameters: {
            query?: {
                /** @description Items per page (1-500, default 50; out-of-range values are clamped) */
                pageSize?: number | null;
                /** @description Opaque token from a previous nextPageToken */
                pageToken?: string;
            };
            header?: never;
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of rollouts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RolloutList"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startRollout: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a POST safe to retry: the same key and body replay the first response for 24 h */
                "idempotency-key"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RolloutStart"];
            };
        };
        responses: {
            /** @description Accepted; the rollout is running */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rollout"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAddonRollouts: {
        parameters: {
            query?: {
                /** @description Items per page (1-500, default 50; out-of-range values are clamped) */
                pageSize?: number | null;
                /** @description Opaque token from a previous nextPageToken */
                pageToken?: string;
            };
            header?: never;
            path: {
                /** @description The add-on's name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of rollouts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AddonRolloutList"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startAddonRollout: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a POST safe to retry: the same key and body replay the first response for 24 h */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The add-on's name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RolloutStart"];
            };
        };
        responses: {
            /** @description Accepted; the rollout is running */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rollout"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRollout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rollout; ETag carries its revision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rollout"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    pauseRollout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rollout after the verb */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rollout"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    resumeRollout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rollout after the verb */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rollout"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    abortRollout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rollout after the verb */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rollout"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    approveRollout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rollout after the verb */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rollout"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rollbackRollout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rollout after the verb */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rollout"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getClusterDrift: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The latest drift report */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DriftReport"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPrometheusRules: {
        parameters: {
            query?: {
                /** @description Namespace of the rule object; default `monitoring` */
                namespace?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The PrometheusRule object */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrometheusRule"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listNotificationProviders: {
        parameters: {
            query?: {
                /** @description Items per page (1-500, default 50; out-of-range values are clamped) */
                pageSize?: number | null;
                /** @description Opaque token from a previous nextPageToken */
                pageToken?: string;
                /** @description Kubernetes-style label selector: a=b, a!=b, a in (x,y), a notin (x), a, !a */
                labelSelector?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of notification providers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationProviderList"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createNotificationProvider: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a POST safe to retry: the same key and body replay the first response for 24 h */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NotificationProviderCreate"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationProvider"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getNotificationProvider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The notification provider */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationProvider"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteNotificationProvider: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchNotificationProvider: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["NotificationProviderPatch"];
                "application/json": components["schemas"]["NotificationProviderPatch"];
            };
        };
        responses: {
            /** @description The updated notification provider */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationProvider"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAlertRules: {
        parameters: {
            query?: {
                /** @description Items per page (1-500, default 50; out-of-range values are clamped) */
                pageSize?: number | null;
                /** @description Opaque token from a previous nextPageToken */
                pageToken?: string;
                /** @description Kubernetes-style label selector: a=b, a!=b, a in (x,y), a notin (x), a, !a */
                labelSelector?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of alert rules */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRuleList"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createAlertRule: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a POST safe to retry: the same key and body replay the first response for 24 h */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AlertRuleCreate"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRule"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAlertRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The alert rule */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRule"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteAlertRule: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchAlertRule: {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the resource's ETag (revision) still matches */
                "if-match"?: string;
            };
            path: {
                /** @description Resource id or name */
                ref: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["AlertRulePatch"];
                "application/json": components["schemas"]["AlertRulePatch"];
            };
        };
        responses: {
            /** @description The updated alert rule */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRule"];
                };
            };
            /** @description The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource (or not visible to this token) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state, or the same Idempotency-Key is still in flight */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the current revision */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
