CREATE TABLE `resource_labels` (
	`resource` text NOT NULL,
	`resource_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`resource`, `resource_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `resource_labels_by_value` ON `resource_labels` (`resource`,`key`,`value`,`resource_id`);
--> statement-breakpoint
-- Triggers keep resource_labels in step with each labelled table inside the statement that
-- writes it. An insert first clears the id's rows, so a row replaced by INSERT OR REPLACE (whose
-- delete fires no trigger) leaves no stale key behind.
CREATE TRIGGER `applications_labels_insert` AFTER INSERT ON `applications` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'applications' AND `resource_id` = NEW.`id`;
	INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
		SELECT 'applications', NEW.`id`, `key`, `value` FROM json_each(NEW.`labels`);
END;
--> statement-breakpoint
CREATE TRIGGER `applications_labels_update` AFTER UPDATE OF `labels` ON `applications` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'applications' AND `resource_id` = OLD.`id`;
	INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
		SELECT 'applications', NEW.`id`, `key`, `value` FROM json_each(NEW.`labels`);
END;
--> statement-breakpoint
CREATE TRIGGER `applications_labels_delete` AFTER DELETE ON `applications` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'applications' AND `resource_id` = OLD.`id`;
END;
--> statement-breakpoint
INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
	SELECT 'applications', `applications`.`id`, j.`key`, j.`value` FROM `applications`, json_each(`applications`.`labels`) AS j;
--> statement-breakpoint
CREATE TRIGGER `cluster_classes_labels_insert` AFTER INSERT ON `cluster_classes` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'cluster_classes' AND `resource_id` = NEW.`id`;
	INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
		SELECT 'cluster_classes', NEW.`id`, `key`, `value` FROM json_each(NEW.`labels`);
END;
--> statement-breakpoint
CREATE TRIGGER `cluster_classes_labels_update` AFTER UPDATE OF `labels` ON `cluster_classes` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'cluster_classes' AND `resource_id` = OLD.`id`;
	INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
		SELECT 'cluster_classes', NEW.`id`, `key`, `value` FROM json_each(NEW.`labels`);
END;
--> statement-breakpoint
CREATE TRIGGER `cluster_classes_labels_delete` AFTER DELETE ON `cluster_classes` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'cluster_classes' AND `resource_id` = OLD.`id`;
END;
--> statement-breakpoint
INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
	SELECT 'cluster_classes', `cluster_classes`.`id`, j.`key`, j.`value` FROM `cluster_classes`, json_each(`cluster_classes`.`labels`) AS j;
--> statement-breakpoint
CREATE TRIGGER `clusters_labels_insert` AFTER INSERT ON `clusters` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'clusters' AND `resource_id` = NEW.`id`;
	INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
		SELECT 'clusters', NEW.`id`, `key`, `value` FROM json_each(NEW.`labels`);
END;
--> statement-breakpoint
CREATE TRIGGER `clusters_labels_update` AFTER UPDATE OF `labels` ON `clusters` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'clusters' AND `resource_id` = OLD.`id`;
	INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
		SELECT 'clusters', NEW.`id`, `key`, `value` FROM json_each(NEW.`labels`);
END;
--> statement-breakpoint
CREATE TRIGGER `clusters_labels_delete` AFTER DELETE ON `clusters` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'clusters' AND `resource_id` = OLD.`id`;
END;
--> statement-breakpoint
INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
	SELECT 'clusters', `clusters`.`id`, j.`key`, j.`value` FROM `clusters`, json_each(`clusters`.`labels`) AS j;
--> statement-breakpoint
CREATE TRIGGER `environments_labels_insert` AFTER INSERT ON `environments` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'environments' AND `resource_id` = NEW.`id`;
	INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
		SELECT 'environments', NEW.`id`, `key`, `value` FROM json_each(NEW.`labels`);
END;
--> statement-breakpoint
CREATE TRIGGER `environments_labels_update` AFTER UPDATE OF `labels` ON `environments` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'environments' AND `resource_id` = OLD.`id`;
	INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
		SELECT 'environments', NEW.`id`, `key`, `value` FROM json_each(NEW.`labels`);
END;
--> statement-breakpoint
CREATE TRIGGER `environments_labels_delete` AFTER DELETE ON `environments` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'environments' AND `resource_id` = OLD.`id`;
END;
--> statement-breakpoint
INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
	SELECT 'environments', `environments`.`id`, j.`key`, j.`value` FROM `environments`, json_each(`environments`.`labels`) AS j;
--> statement-breakpoint
CREATE TRIGGER `notification_providers_labels_insert` AFTER INSERT ON `notification_providers` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'notification_providers' AND `resource_id` = NEW.`id`;
	INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
		SELECT 'notification_providers', NEW.`id`, `key`, `value` FROM json_each(NEW.`labels`);
END;
--> statement-breakpoint
CREATE TRIGGER `notification_providers_labels_update` AFTER UPDATE OF `labels` ON `notification_providers` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'notification_providers' AND `resource_id` = OLD.`id`;
	INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
		SELECT 'notification_providers', NEW.`id`, `key`, `value` FROM json_each(NEW.`labels`);
END;
--> statement-breakpoint
CREATE TRIGGER `notification_providers_labels_delete` AFTER DELETE ON `notification_providers` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'notification_providers' AND `resource_id` = OLD.`id`;
END;
--> statement-breakpoint
INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
	SELECT 'notification_providers', `notification_providers`.`id`, j.`key`, j.`value` FROM `notification_providers`, json_each(`notification_providers`.`labels`) AS j;
--> statement-breakpoint
CREATE TRIGGER `alert_rules_labels_insert` AFTER INSERT ON `alert_rules` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'alert_rules' AND `resource_id` = NEW.`id`;
	INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
		SELECT 'alert_rules', NEW.`id`, `key`, `value` FROM json_each(NEW.`labels`);
END;
--> statement-breakpoint
CREATE TRIGGER `alert_rules_labels_update` AFTER UPDATE OF `labels` ON `alert_rules` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'alert_rules' AND `resource_id` = OLD.`id`;
	INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
		SELECT 'alert_rules', NEW.`id`, `key`, `value` FROM json_each(NEW.`labels`);
END;
--> statement-breakpoint
CREATE TRIGGER `alert_rules_labels_delete` AFTER DELETE ON `alert_rules` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'alert_rules' AND `resource_id` = OLD.`id`;
END;
--> statement-breakpoint
INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
	SELECT 'alert_rules', `alert_rules`.`id`, j.`key`, j.`value` FROM `alert_rules`, json_each(`alert_rules`.`labels`) AS j;
--> statement-breakpoint
CREATE TRIGGER `tenants_labels_insert` AFTER INSERT ON `tenants` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'tenants' AND `resource_id` = NEW.`id`;
	INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
		SELECT 'tenants', NEW.`id`, `key`, `value` FROM json_each(NEW.`labels`);
END;
--> statement-breakpoint
CREATE TRIGGER `tenants_labels_update` AFTER UPDATE OF `labels` ON `tenants` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'tenants' AND `resource_id` = OLD.`id`;
	INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
		SELECT 'tenants', NEW.`id`, `key`, `value` FROM json_each(NEW.`labels`);
END;
--> statement-breakpoint
CREATE TRIGGER `tenants_labels_delete` AFTER DELETE ON `tenants` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'tenants' AND `resource_id` = OLD.`id`;
END;
--> statement-breakpoint
INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
	SELECT 'tenants', `tenants`.`id`, j.`key`, j.`value` FROM `tenants`, json_each(`tenants`.`labels`) AS j;
--> statement-breakpoint
CREATE TRIGGER `tenant_secrets_labels_insert` AFTER INSERT ON `tenant_secrets` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'tenant_secrets' AND `resource_id` = NEW.`id`;
	INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
		SELECT 'tenant_secrets', NEW.`id`, `key`, `value` FROM json_each(NEW.`labels`);
END;
--> statement-breakpoint
CREATE TRIGGER `tenant_secrets_labels_update` AFTER UPDATE OF `labels` ON `tenant_secrets` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'tenant_secrets' AND `resource_id` = OLD.`id`;
	INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
		SELECT 'tenant_secrets', NEW.`id`, `key`, `value` FROM json_each(NEW.`labels`);
END;
--> statement-breakpoint
CREATE TRIGGER `tenant_secrets_labels_delete` AFTER DELETE ON `tenant_secrets` BEGIN
	DELETE FROM `resource_labels` WHERE `resource` = 'tenant_secrets' AND `resource_id` = OLD.`id`;
END;
--> statement-breakpoint
INSERT INTO `resource_labels` (`resource`, `resource_id`, `key`, `value`)
	SELECT 'tenant_secrets', `tenant_secrets`.`id`, j.`key`, j.`value` FROM `tenant_secrets`, json_each(`tenant_secrets`.`labels`) AS j;
