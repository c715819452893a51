export type { Caller } from "./caller";
export { type Context, createContext, createContextInner, type SessionUser } from "./context";
export { DomainError } from "./errors";
export { SERVER_NODE_OPTIONS, serverNodeOptions } from "./node-options";
export { type AppRouter, appRouter, createCaller } from "./root";
export { authenticateApiKey, createApiKey, revokeApiKey } from "./services/admin/api-keys";
export { createUser, ensureFirstAdmin, verifyCredentials } from "./services/admin/users";
export { createEnrollmentToken, enrollAgent } from "./services/ingest/agents";
export { hashToken, newToken } from "./tokens";
