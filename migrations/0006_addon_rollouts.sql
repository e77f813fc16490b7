CREATE TABLE `addon_holds` (
	`cluster_id` text NOT NULL,
	`addon` text NOT NULL,
	`release` text NOT NULL,
	`rollout_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`cluster_id`, `addon`)
);
--> statement-breakpoint
CREATE INDEX `addon_holds_rollout` ON `addon_holds` (`rollout_id`);--> statement-breakpoint
DROP INDEX `rollouts_app_number`;--> statement-breakpoint
ALTER TABLE `rollouts` RENAME COLUMN `application_id` TO `subject_id`;--> statement-breakpoint
ALTER TABLE `rollouts` ADD `subject_kind` text DEFAULT 'Application' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `rollouts_subject_number` ON `rollouts` (`subject_id`,`number`);
