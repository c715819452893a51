export * from "./collector";
export * from "./event";
export * from "./ingest";
export * from "./limits";
export * from "./roles";
