export * from "./conditions";
export * from "./evaluate";
export * from "./lifecycle";
