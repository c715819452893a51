export * from "./groups";
export * from "./health";
export * from "./views";
