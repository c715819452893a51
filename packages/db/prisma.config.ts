import { defineConfig } from "prisma/config";

// The CLI is used for `generate` only: migrations are applied by src/migrate.ts (see README).
export default defineConfig({
  schema: "../../prisma/schema.prisma",
  migrations: { path: "../../prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/fleetwatch" },
});
