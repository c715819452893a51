-- The raw log lines around a message, as the agent read them: { before: [...], after: [...] }.
ALTER TABLE "EventMessage" ADD COLUMN "context" JSONB;
