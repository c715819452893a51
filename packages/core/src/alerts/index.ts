export * from "./conditions";
export * from "./evaluate";
export * from "./incidents";
export * from "./lifecycle";
