-- The agent daemon's evidence beyond the first heartbeat fields: which scheduler runs, the
-- client's version and options, the DOMAIN check, the spool's state. Older agents send none.
ALTER TABLE "Heartbeat" ADD COLUMN "schedulerKind" TEXT,
ADD COLUMN "clientVersion" TEXT,
ADD COLUMN "serverAddress" TEXT,
ADD COLUMN "passwordAccess" TEXT,
ADD COLUMN "domains" JSONB,
ADD COLUMN "spoolGap" JSONB,
ADD COLUMN "fullResync" JSONB,
ADD COLUMN "agentVersion" TEXT;
