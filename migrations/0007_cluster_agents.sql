CREATE TABLE `cluster_agents` (
	`cluster_id` text PRIMARY KEY NOT NULL,
	`join_token` text,
	`join_expires_at` integer,
	`credential_hash` text,
	`joined_at` integer,
	`last_seen_at` integer,
	`version` text,
	`clock_skew_ms` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
