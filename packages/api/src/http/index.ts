export { type ApiOptions, errorResponse, handleApiRequest } from "./handler";
export { API_BASE, openApiDocument } from "./openapi";
export { webhookPayloadV1 } from "./webhook";
