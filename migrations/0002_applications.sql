CREATE TABLE `application_deployments` (
	`application_id` text NOT NULL,
	`cluster_id` text NOT NULL,
	`release` text NOT NULL,
	`rollout_id` text NOT NULL,
	`health` text NOT NULL,
	`sync` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`application_id`, `cluster_id`)
);
--> statement-breakpoint
CREATE INDEX `application_deployments_cluster` ON `application_deployments` (`cluster_id`);--> statement-breakpoint
CREATE TABLE `applications` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`labels` text NOT NULL,
	`spec` text NOT NULL,
	`status` text NOT NULL,
	`generation` integer NOT NULL,
	`revision` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`tenant_id` text,
	`deletion_requested_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `applications_name` ON `applications` (`name`);--> statement-breakpoint
CREATE INDEX `applications_tenant` ON `applications` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `rollout_targets` (
	`rollout_id` text NOT NULL,
	`cluster_id` text NOT NULL,
	`cluster_name` text NOT NULL,
	`wave` integer NOT NULL,
	`state` text NOT NULL,
	`message` text NOT NULL,
	`release` text,
	`previous` text,
	`job_id` text,
	`started_at` integer,
	`finished_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`rollout_id`, `cluster_id`)
);
--> statement-breakpoint
CREATE INDEX `rollout_targets_wave` ON `rollout_targets` (`rollout_id`,`wave`,`state`);--> statement-breakpoint
CREATE TABLE `rollouts` (
	`id` text PRIMARY KEY NOT NULL,
	`application_id` text NOT NULL,
	`number` integer NOT NULL,
	`kind` text NOT NULL,
	`phase` text NOT NULL,
	`reason` text NOT NULL,
	`message` text NOT NULL,
	`release` text NOT NULL,
	`strategy` text NOT NULL,
	`waves` text NOT NULL,
	`current_wave` integer NOT NULL,
	`rollback_of` text,
	`rolled_back_by` text,
	`superseded_by` text,
	`created_by` text NOT NULL,
	`revision` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rollouts_app_number` ON `rollouts` (`application_id`,`number`);--> statement-breakpoint
CREATE INDEX `rollouts_phase` ON `rollouts` (`phase`);