export { type DemoFleetOptions, type DemoNight, type DemoNode, generateDemoFleet } from "./fleet";
export { type DemoLogs, renderDemoLogs } from "./log-writer";
export { demoGraceMinutes, demoNightOf, lastClosedNight } from "./nights";
export { seededRandom } from "./random";
