-- An agent enrolled with a collector token may ship the TSM server's own records.
ALTER TABLE "EnrollmentToken" ADD COLUMN "collector" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Agent" ADD COLUMN "collector" BOOLEAN NOT NULL DEFAULT false;

-- What the server's NODES table says about a node, as of the collector's last run.
ALTER TABLE "Node" ADD COLUMN "passwordExpiryDays" INTEGER,
ADD COLUMN "platform" TEXT,
ADD COLUMN "clientVersion" TEXT,
ADD COLUMN "tcpName" TEXT,
ADD COLUMN "tcpAddress" TEXT,
ADD COLUMN "guid" TEXT,
ADD COLUMN "policyDomain" TEXT,
ADD COLUMN "serverRecordAt" TIMESTAMPTZ(3);
