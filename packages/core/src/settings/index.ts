export * from "./site-settings";
