CREATE TABLE `drift_reports` (
	`cluster_id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`reason` text NOT NULL,
	`message` text NOT NULL,
	`items` text NOT NULL,
	`objects` text NOT NULL,
	`narrative` text,
	`reconciled_at` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`results` text NOT NULL,
	`duration_buckets` text NOT NULL,
	`duration_sum_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reconcile_schedule` (
	`cluster_id` text PRIMARY KEY NOT NULL,
	`next_at` integer NOT NULL,
	`interval_ms` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `reconcile_schedule_due` ON `reconcile_schedule` (`next_at`);--> statement-breakpoint
CREATE TABLE `alert_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`labels` text NOT NULL,
	`spec` text NOT NULL,
	`status` text NOT NULL,
	`generation` integer NOT NULL,
	`revision` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_rules_name` ON `alert_rules` (`name`);--> statement-breakpoint
CREATE TABLE `notification_deliveries` (
	`event_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`job_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`event_id`, `provider_id`)
);
--> statement-breakpoint
CREATE INDEX `notification_deliveries_created` ON `notification_deliveries` (`created_at`);--> statement-breakpoint
CREATE TABLE `notification_providers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`labels` text NOT NULL,
	`spec` text NOT NULL,
	`status` text NOT NULL,
	`generation` integer NOT NULL,
	`revision` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`type` text NOT NULL,
	`credentials` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notification_providers_name` ON `notification_providers` (`name`);