export { type ApiOptions, errorResponse, handleApiRequest } from "./handler";
export { API_BASE, openApiDocument } from "./openapi";
export { webhookPayloadV2 } from "./webhook";
