export * from "./node-state";
