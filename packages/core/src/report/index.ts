export * from "./contact-report";
export * from "./owner";
