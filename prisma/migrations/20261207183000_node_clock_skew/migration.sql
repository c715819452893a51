-- The agent's clock against the server's (heartbeat `at` minus its arrival, in seconds; negative:
-- slow) and when it was read: shown on the node, and the judge waits for a slow clock's windows.
ALTER TABLE "Node" ADD COLUMN "clockSkewSeconds" INTEGER,
ADD COLUMN "clockSkewAt" TIMESTAMPTZ(3);
