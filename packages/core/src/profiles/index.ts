export * from "./builtin";
export * from "./match";
export * from "./policy";
export * from "./resolve";
export * from "./words";
