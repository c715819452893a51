-- Profiles (core/profiles): a policy per kind of node (server, laptop, workstation...) and the
-- rules that put a node in one. A node keeps the profile it is in (by hand, or as the rules put
-- it), and may override the policy or be bypassed (watched, never alerted).
CREATE TABLE "Profile" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL DEFAULT 100,
    "rules" JSONB NOT NULL DEFAULT '[]',
    "policy" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Profile_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Profile_name_key" ON "Profile"("name");

ALTER TABLE "Node" ADD COLUMN "profileId" UUID;
ALTER TABLE "Node" ADD COLUMN "profileSetByHand" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Node" ADD COLUMN "policyOverride" JSONB;
ALTER TABLE "Node" ADD CONSTRAINT "Node_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "Profile"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "Node_profileId_idx" ON "Node"("profileId");
