"""The audit domain: the append-only audit trail a partnership shows its scrutineer
(`auditEvents`), with credentials redacted and the actor shown to members only."""
