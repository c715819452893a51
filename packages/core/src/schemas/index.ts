export * from "./event";
export * from "./ingest";
