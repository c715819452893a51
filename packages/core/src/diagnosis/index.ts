export * from "./failure";
export * from "./missed";
export * from "./os";
export * from "./remedy";
export * from "./staff";
export * from "./suspicious";
export * from "./types";
export * from "./words";
