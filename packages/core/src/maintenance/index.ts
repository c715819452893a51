export * from "./maintenance";
