-- Durable waits: a run parks (`waiting`) while a WaitNode's time or a SignalNode's signal is due,
-- holding no lease, slot or connection; a node run waits with it. A new enum value can only be
-- used once the transaction adding it has committed, so the statements using it follow in the next
-- migration.
ALTER TYPE "RunStatus" ADD VALUE 'waiting' AFTER 'running';
ALTER TYPE "NodeRunStatus" ADD VALUE 'waiting' AFTER 'running';
