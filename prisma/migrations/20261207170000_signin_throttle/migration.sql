-- Failed password sign-ins per account and per client address, kept in the database so every web
-- replica sees the same counts (services/signin-throttle.ts).
CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "lastFailure" TIMESTAMPTZ(3) NOT NULL,
    "blockedUntil" TIMESTAMPTZ(3),

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("key")
);

CREATE INDEX "SignInThrottle_lastFailure_idx" ON "SignInThrottle"("lastFailure");
