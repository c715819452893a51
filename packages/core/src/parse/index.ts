/**
 * `@fleetwatch/core/parse`: TSM dsmsched.log + dsmerror.log -> events, as
 * shared/spec/parse-contract.md defines them. Pure: bytes or text in, plain data out.
 */

export { type ExcerptLine, type ExcerptMessage, nightExcerpt } from "./excerpt";
export type { NumberFormat } from "./numbers";
export { type Completed, createLogParser, type LogParser, type ParseOptions, parseLogs } from "./parser";
export { type DateFormat, dateFormats } from "./timestamp";
