CREATE TABLE `cluster_classes` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`labels` text NOT NULL,
	`spec` text NOT NULL,
	`status` text NOT NULL,
	`generation` integer NOT NULL,
	`revision` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`provider` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cluster_classes_name` ON `cluster_classes` (`name`);--> statement-breakpoint
CREATE TABLE `clusters` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`labels` text NOT NULL,
	`spec` text NOT NULL,
	`status` text NOT NULL,
	`generation` integer NOT NULL,
	`revision` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`class_id` text NOT NULL,
	`provider` text NOT NULL,
	`environment` text,
	`region` text,
	`phase` text NOT NULL,
	`credentials` text,
	`deletion_requested_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `clusters_name` ON `clusters` (`name`);--> statement-breakpoint
CREATE INDEX `clusters_class` ON `clusters` (`class_id`);--> statement-breakpoint
CREATE INDEX `clusters_environment` ON `clusters` (`environment`);--> statement-breakpoint
CREATE INDEX `clusters_phase` ON `clusters` (`phase`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`type` text NOT NULL,
	`reason` text NOT NULL,
	`resource_type` text NOT NULL,
	`resource_id` text NOT NULL,
	`resource_name` text,
	`actor` text NOT NULL,
	`request_id` text,
	`message` text NOT NULL,
	`diff` text
);
--> statement-breakpoint
CREATE INDEX `events_resource` ON `events` (`resource_id`);--> statement-breakpoint
CREATE INDEX `events_at` ON `events` (`at`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`principal_id` text NOT NULL,
	`key` text NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`request_hash` text NOT NULL,
	`state` text NOT NULL,
	`response_status` integer,
	`response_headers` text,
	`response_body` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`principal_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_expiry` ON `idempotency_keys` (`expires_at`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`cluster_id` text,
	`resource_type` text NOT NULL,
	`resource_id` text NOT NULL,
	`payload` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer NOT NULL,
	`max_attempts` integer NOT NULL,
	`run_after` integer NOT NULL,
	`lease_until` integer,
	`lease_owner` text,
	`last_error` text,
	`message` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `jobs_due` ON `jobs` (`state`,`run_after`);--> statement-breakpoint
CREATE INDEX `jobs_cluster_state` ON `jobs` (`cluster_id`,`state`);--> statement-breakpoint
CREATE INDEX `jobs_resource` ON `jobs` (`resource_id`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`tenant_id` text,
	`hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`revoked_at` integer,
	`created_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_hash` ON `tokens` (`hash`);