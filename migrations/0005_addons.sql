CREATE TABLE `addon_bundles` (
	`sha256` text NOT NULL,
	`part` integer NOT NULL,
	`parts` integer NOT NULL,
	`objects` text NOT NULL,
	`fetched_at` integer NOT NULL,
	PRIMARY KEY(`sha256`, `part`)
);
--> statement-breakpoint
CREATE TABLE `addon_pins` (
	`urls` text PRIMARY KEY NOT NULL,
	`sha256` text NOT NULL,
	`pinned_at` integer NOT NULL
);
