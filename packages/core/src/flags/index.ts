export { FLAG_MESSAGES } from "./access";
export * from "./evaluate";
export * from "./kinds";
export type * from "./types";
