export * from "./duplicates";
export * from "./duplicates-names";
export * from "./node-sort";
export * from "./node-state";
export * from "./protection";
export * from "./stale";
