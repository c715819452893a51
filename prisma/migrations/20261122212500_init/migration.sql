-- CreateEnum
CREATE TYPE "Role" AS ENUM ('viewer', 'operator', 'admin');

-- CreateEnum
CREATE TYPE "WindowOutcome" AS ENUM ('completed', 'failed', 'severed', 'aborted', 'in-progress', 'missed');

-- CreateEnum
CREATE TYPE "FlagKind" AS ENUM ('locked', 'password-expired', 'password-expiring', 'auth-broken', 'repeated-misses', 'repeated-failures', 'needs-manual-backup', 'at-risk', 'duplicate-suspect', 'stale', 'agent-silent', 'config-error');

-- CreateEnum
CREATE TYPE "ScheduleSource" AS ENUM ('collector', 'agent', 'staff');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'delivered', 'failed');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'viewer',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMPTZ(3),

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Machine" (
    "id" UUID NOT NULL,
    "machineId" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "os" TEXT,
    "osVersion" TEXT,
    "macAddresses" TEXT[],
    "clientVersion" TEXT,
    "bootedAt" TIMESTAMPTZ(3),
    "lastSeenAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Machine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Agent" (
    "id" UUID NOT NULL,
    "machineRef" UUID,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Agent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnrollmentToken" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "note" TEXT,
    "createdBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "agentId" UUID,

    CONSTRAINT "EnrollmentToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Node" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "server" TEXT NOT NULL DEFAULT '',
    "machineRef" UUID,
    "contact" TEXT,
    "email" TEXT,
    "os" TEXT,
    "registeredAt" TIMESTAMPTZ(3),
    "locked" BOOLEAN NOT NULL DEFAULT false,
    "passwordSetAt" TIMESTAMPTZ(3),
    "lastAccessAt" TIMESTAMPTZ(3),
    "lastContactAt" TIMESTAMPTZ(3),
    "lastHeartbeatAt" TIMESTAMPTZ(3),
    "lastEventAt" TIMESTAMPTZ(3),
    "lastCompletedAt" TIMESTAMPTZ(3),
    "lastOutcome" "WindowOutcome",
    "lastCause" TEXT,
    "missedStreak" INTEGER NOT NULL DEFAULT 0,
    "failedStreak" INTEGER NOT NULL DEFAULT 0,
    "utcOffsetMinutes" INTEGER NOT NULL DEFAULT 0,
    "deregisteredAt" TIMESTAMPTZ(3),
    "deregisteredBy" TEXT,
    "deregisteredReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Node_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Schedule" (
    "id" UUID NOT NULL,
    "server" TEXT NOT NULL DEFAULT '',
    "name" TEXT NOT NULL,
    "action" TEXT,
    "startTime" TEXT NOT NULL,
    "durationMinutes" INTEGER NOT NULL DEFAULT 60,
    "periodMinutes" INTEGER NOT NULL DEFAULT 1440,
    "dayOfWeek" TEXT NOT NULL DEFAULT 'ANY',
    "source" "ScheduleSource" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Schedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NodeSchedule" (
    "nodeId" UUID NOT NULL,
    "scheduleId" UUID NOT NULL,
    "source" "ScheduleSource" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NodeSchedule_pkey" PRIMARY KEY ("nodeId","scheduleId")
);

-- CreateTable
CREATE TABLE "Window" (
    "id" UUID NOT NULL,
    "nodeId" UUID NOT NULL,
    "schedule" TEXT NOT NULL,
    "scheduledStart" TIMESTAMPTZ(3) NOT NULL,
    "localStart" TEXT NOT NULL,
    "outcome" "WindowOutcome" NOT NULL,
    "returnCode" INTEGER,
    "startedAt" TIMESTAMPTZ(3),
    "endedAt" TIMESTAMPTZ(3),
    "objectsInspected" BIGINT,
    "objectsBackedUp" BIGINT,
    "objectsFailed" BIGINT,
    "bytesTransferred" BIGINT,
    "elapsedSeconds" INTEGER,
    "stats" JSONB,
    "causes" TEXT[],
    "cause" TEXT,
    "benign" BOOLEAN NOT NULL DEFAULT false,
    "diagnosis" JSONB,
    "source" TEXT NOT NULL DEFAULT 'agent',
    "judgedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Window_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventMessage" (
    "id" BIGSERIAL NOT NULL,
    "windowId" UUID NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3),
    "text" TEXT NOT NULL,
    "cause" TEXT,
    "flag" TEXT,
    "days" INTEGER,

    CONSTRAINT "EventMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Problem" (
    "id" BIGSERIAL NOT NULL,
    "nodeId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3),
    "code" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "textHash" TEXT NOT NULL,
    "cause" TEXT,
    "flag" TEXT,
    "days" INTEGER,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Problem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Heartbeat" (
    "id" BIGSERIAL NOT NULL,
    "nodeId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "bootedAt" TIMESTAMPTZ(3),
    "clockJumpSeconds" INTEGER,
    "serverReachable" BOOLEAN,
    "schedulerRunning" BOOLEAN,
    "spoolBytes" BIGINT,
    "lastError" TEXT,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Heartbeat_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Flag" (
    "id" UUID NOT NULL,
    "nodeId" UUID NOT NULL,
    "kind" "FlagKind" NOT NULL,
    "raisedAt" TIMESTAMPTZ(3) NOT NULL,
    "clearedAt" TIMESTAMPTZ(3),
    "evidence" JSONB NOT NULL,
    "detail" TEXT,

    CONSTRAINT "Flag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" UUID NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "nodeId" UUID,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "raisedAt" TIMESTAMPTZ(3) NOT NULL,
    "clearedAt" TIMESTAMPTZ(3),
    "acknowledgedAt" TIMESTAMPTZ(3),
    "acknowledgedBy" TEXT,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertDelivery" (
    "id" UUID NOT NULL,
    "alertId" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "AlertDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" UUID,
    "actorLabel" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "reason" TEXT,
    "detail" JSONB,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Machine_machineId_key" ON "Machine"("machineId");

-- CreateIndex
CREATE INDEX "Machine_hostname_idx" ON "Machine"("hostname");

-- CreateIndex
CREATE UNIQUE INDEX "Agent_tokenHash_key" ON "Agent"("tokenHash");

-- CreateIndex
CREATE INDEX "Agent_machineRef_idx" ON "Agent"("machineRef");

-- CreateIndex
CREATE UNIQUE INDEX "EnrollmentToken_tokenHash_key" ON "EnrollmentToken"("tokenHash");

-- CreateIndex
CREATE INDEX "Node_name_idx" ON "Node"("name");

-- CreateIndex
CREATE INDEX "Node_deregisteredAt_lastOutcome_idx" ON "Node"("deregisteredAt", "lastOutcome");

-- CreateIndex
CREATE INDEX "Node_lastContactAt_idx" ON "Node"("lastContactAt");

-- CreateIndex
CREATE INDEX "Node_machineRef_idx" ON "Node"("machineRef");

-- CreateIndex
CREATE UNIQUE INDEX "Node_server_name_key" ON "Node"("server", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Schedule_server_name_key" ON "Schedule"("server", "name");

-- CreateIndex
CREATE INDEX "NodeSchedule_scheduleId_idx" ON "NodeSchedule"("scheduleId");

-- CreateIndex
CREATE INDEX "Window_nodeId_scheduledStart_idx" ON "Window"("nodeId", "scheduledStart" DESC);

-- CreateIndex
CREATE INDEX "Window_scheduledStart_outcome_idx" ON "Window"("scheduledStart", "outcome");

-- CreateIndex
CREATE INDEX "Window_outcome_nodeId_idx" ON "Window"("outcome", "nodeId");

-- CreateIndex
CREATE UNIQUE INDEX "Window_nodeId_schedule_scheduledStart_key" ON "Window"("nodeId", "schedule", "scheduledStart");

-- CreateIndex
CREATE INDEX "EventMessage_code_idx" ON "EventMessage"("code");

-- CreateIndex
CREATE UNIQUE INDEX "EventMessage_windowId_ordinal_key" ON "EventMessage"("windowId", "ordinal");

-- CreateIndex
CREATE INDEX "Problem_nodeId_at_idx" ON "Problem"("nodeId", "at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Problem_nodeId_at_code_textHash_key" ON "Problem"("nodeId", "at", "code", "textHash");

-- CreateIndex
CREATE UNIQUE INDEX "Heartbeat_nodeId_at_key" ON "Heartbeat"("nodeId", "at");

-- CreateIndex
CREATE INDEX "Flag_nodeId_kind_clearedAt_idx" ON "Flag"("nodeId", "kind", "clearedAt");

-- CreateIndex
CREATE INDEX "Flag_kind_clearedAt_idx" ON "Flag"("kind", "clearedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Alert_dedupeKey_key" ON "Alert"("dedupeKey");

-- CreateIndex
CREATE INDEX "Alert_clearedAt_raisedAt_idx" ON "Alert"("clearedAt", "raisedAt" DESC);

-- CreateIndex
CREATE INDEX "Alert_nodeId_idx" ON "Alert"("nodeId");

-- CreateIndex
CREATE INDEX "AlertDelivery_status_nextAttemptAt_idx" ON "AlertDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "AlertDelivery_alertId_channel_target_key" ON "AlertDelivery"("alertId", "channel", "target");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at" DESC);

-- CreateIndex
CREATE INDEX "AuditLog_targetType_targetId_idx" ON "AuditLog"("targetType", "targetId");

-- AddForeignKey
ALTER TABLE "Agent" ADD CONSTRAINT "Agent_machineRef_fkey" FOREIGN KEY ("machineRef") REFERENCES "Machine"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentToken" ADD CONSTRAINT "EnrollmentToken_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Node" ADD CONSTRAINT "Node_machineRef_fkey" FOREIGN KEY ("machineRef") REFERENCES "Machine"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NodeSchedule" ADD CONSTRAINT "NodeSchedule_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NodeSchedule" ADD CONSTRAINT "NodeSchedule_scheduleId_fkey" FOREIGN KEY ("scheduleId") REFERENCES "Schedule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Window" ADD CONSTRAINT "Window_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventMessage" ADD CONSTRAINT "EventMessage_windowId_fkey" FOREIGN KEY ("windowId") REFERENCES "Window"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Problem" ADD CONSTRAINT "Problem_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Heartbeat" ADD CONSTRAINT "Heartbeat_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Flag" ADD CONSTRAINT "Flag_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertDelivery" ADD CONSTRAINT "AlertDelivery_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
