import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing";
import { actualShape } from "./actual";
import { type Datamodel, loadDatamodel } from "./dmmf";
import { expectedShape } from "./expected";
import { diffShapes, type SchemaShape } from "./shape";

// The hand-written migrations must build exactly the database `prisma migrate` would build
// from schema.prisma. Expected shape: Prisma's own DMMF. Actual: the migrated database.

let datamodel: Datamodel;
let expected: SchemaShape;
let migrated: TestDatabase;

beforeAll(async () => {
  [datamodel, migrated] = await Promise.all([loadDatamodel(), createTestDatabase()]);
  expected = expectedShape(datamodel);
});
afterAll(async () => {
  await migrated?.drop();
});

describe("migrations against schema.prisma", () => {
  it("reads every model and enum of the schema", () => {
    expect(expected.tables.size).toBe(datamodel.models.length);
    expect(datamodel.models.map((m) => m.name)).toContain("Window");
    expect(expected.enums.get("WindowOutcome")).toContain("in-progress"); // @map'd value
    expect(expected.tables.get("NodeSchedule")?.indexes.get("NodeSchedule_pkey")?.columns).toEqual(["nodeId", "scheduleId"]);
  });

  it("build a database with every table, column, type, default, index, key and enum of the schema", async () => {
    expect(diffShapes(expected, await actualShape(migrated.url))).toEqual([]);
  });

  it("would notice drift: a dropped column, a lost index, a loosened column, a changed default, a stray table, ...", async () => {
    const scratch = await createTestDatabase();
    try {
      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      await client.query(`
        ALTER TABLE "Window" DROP COLUMN "cause";
        DROP INDEX "Alert_state_severity_raisedAt_idx";
        ALTER TABLE "Node" ALTER COLUMN "name" DROP NOT NULL;
        ALTER TABLE "Schedule" ALTER COLUMN "dayOfWeek" SET DEFAULT 'MON';
        ALTER TABLE "Heartbeat" ALTER COLUMN "spoolBytes" TYPE integer;
        ALTER TABLE "Agent" DROP CONSTRAINT "Agent_machineRef_fkey",
          ADD CONSTRAINT "Agent_machineRef_fkey" FOREIGN KEY ("machineRef") REFERENCES "Machine"("id") ON DELETE CASCADE;
        ALTER TYPE "Role" ADD VALUE 'owner';
        DROP INDEX "User_email_key";
        CREATE INDEX "User_email_key" ON "User"("email");
        CREATE TABLE "Stray" (id int);
      `);
      await client.end();

      expect(diffShapes(expected, await actualShape(scratch.url)).sort()).toEqual(
        [
          "Agent.Agent_machineRef_fkey: (machineRef) -> Machine(id) ON DELETE CASCADE ON UPDATE NO ACTION, expected (machineRef) -> Machine(id) ON DELETE SET NULL ON UPDATE CASCADE",
          "Alert.Alert_state_severity_raisedAt_idx: index missing",
          "Heartbeat.spoolBytes: type integer, expected bigint",
          "Node.name: nullable, expected NOT NULL",
          "Schedule.dayOfWeek: default 'MON'::text, expected 'ANY'::text",
          "Stray: table not in schema.prisma",
          "User.User_email_key: is index, expected unique",
          "Window.cause: column missing",
          "enum Role: values (viewer, operator, admin, owner), expected (viewer, operator, admin)",
        ].sort(),
      );
    } finally {
      await scratch.drop();
    }
  });
});
