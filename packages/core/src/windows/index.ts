export * from "./expected";
export * from "./infer";
export * from "./judge";
export * from "./schedule";
export * from "./time";
export * from "./stored";
