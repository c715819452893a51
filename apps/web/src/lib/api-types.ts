import type { AppRouter } from "@fleetwatch/api";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

/** What the API's procedures return, as server components receive them (dates as Date). */
export type Outputs = inferRouterOutputs<AppRouter>;
export type Inputs = inferRouterInputs<AppRouter>;
