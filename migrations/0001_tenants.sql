CREATE TABLE `tenant_placements` (
	`tenant_id` text NOT NULL,
	`cluster_id` text NOT NULL,
	`desired` text NOT NULL,
	`desired_revision` integer NOT NULL,
	`applied_revision` integer NOT NULL,
	`state` text NOT NULL,
	`message` text NOT NULL,
	`applied_secrets` text NOT NULL,
	`applied_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `cluster_id`)
);
--> statement-breakpoint
CREATE INDEX `tenant_placements_cluster` ON `tenant_placements` (`cluster_id`);--> statement-breakpoint
CREATE TABLE `tenant_secrets` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`labels` text NOT NULL,
	`spec` text NOT NULL,
	`status` text NOT NULL,
	`generation` integer NOT NULL,
	`revision` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`tenant_id` text NOT NULL,
	`source` text NOT NULL,
	`remote_name` text,
	`arn` text,
	`version_id` text,
	`keys` text NOT NULL,
	`deletion_requested_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenant_secrets_name` ON `tenant_secrets` (`tenant_id`,`name`);--> statement-breakpoint
CREATE INDEX `tenant_secrets_tenant` ON `tenant_secrets` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`labels` text NOT NULL,
	`spec` text NOT NULL,
	`status` text NOT NULL,
	`generation` integer NOT NULL,
	`revision` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`namespace` text NOT NULL,
	`deletion_requested_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_name` ON `tenants` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_namespace` ON `tenants` (`namespace`);