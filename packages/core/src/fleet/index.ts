export * from "./duplicates";
export * from "./duplicates-names";
export * from "./node-state";
export * from "./stale";
