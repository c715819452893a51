export type { Caller } from "./caller";
export { type Context, createContext, createContextInner, type SessionUser } from "./context";
export { DomainError } from "./errors";
export { SERVER_NODE_OPTIONS, serverNodeOptions } from "./node-options";
export { type AppRouter, appRouter, createCaller } from "./root";
export { createEnrollmentToken, enrollAgent } from "./services/agents";
export { authenticateApiKey, createApiKey, revokeApiKey } from "./services/api-keys";
export { createUser, ensureFirstAdmin, verifyCredentials } from "./services/users";
export { hashToken, newToken } from "./tokens";
