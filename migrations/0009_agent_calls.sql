ALTER TABLE `agent_work` ADD `result` text;--> statement-breakpoint
ALTER TABLE `agent_work` ADD `status` integer;--> statement-breakpoint
CREATE INDEX `agent_work_digest` ON `agent_work` (`cluster_id`,`digest`);--> statement-breakpoint
ALTER TABLE `cluster_agents` ADD `silent_since` integer;