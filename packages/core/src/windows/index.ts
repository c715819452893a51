export * from "./clock-skew";
export * from "./expected";
export * from "./infer";
export * from "./judge";
export * from "./schedule";
export * from "./stored";
export * from "./time";
