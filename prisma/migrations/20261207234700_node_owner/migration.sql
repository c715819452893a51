-- A node's owner as staff set it (the morning report's recipient), beside the server's CONTACT
-- and EMAIL_ADDRESS that the collector keeps overwriting: staff's value wins where set.
ALTER TABLE "Node" ADD COLUMN "staffContact" TEXT;
ALTER TABLE "Node" ADD COLUMN "staffEmail" TEXT;
ALTER TABLE "Node" ADD COLUMN "ownerSetBy" TEXT;
ALTER TABLE "Node" ADD COLUMN "ownerSetAt" TIMESTAMPTZ(3);
