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
CREATE INDEX `reconcile_schedule_due` ON `reconcile_schedule` (`next_at`);