export * from "./evaluate";
export * from "./kinds";
export type * from "./types";
