"""The audit trail: every create, update and delete, append-only, in the writer's transaction."""
