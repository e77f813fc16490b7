CREATE TABLE `agent_work` (
	`id` text PRIMARY KEY NOT NULL,
	`cluster_id` text NOT NULL,
	`seq` integer NOT NULL,
	`op` text NOT NULL,
	`object_key` text NOT NULL,
	`object` text NOT NULL,
	`digest` text NOT NULL,
	`state` text NOT NULL,
	`message` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agent_work_seq` ON `agent_work` (`cluster_id`,`seq`);--> statement-breakpoint
CREATE INDEX `agent_work_state` ON `agent_work` (`cluster_id`,`state`);--> statement-breakpoint
ALTER TABLE `cluster_agents` ADD `last_report` integer DEFAULT 0 NOT NULL;