import type { FlagKind as CoreFlagKind } from "@fleetwatch/core/flags";
import type { FlagKind as DbFlagKind } from "@fleetwatch/db/client";

/** The database enum spells kinds with underscores (Prisma identifiers); the domain with dashes. */
export const toFlagKind = (kind: CoreFlagKind): DbFlagKind => kind.replaceAll("-", "_") as DbFlagKind;
export const fromFlagKind = (kind: DbFlagKind): CoreFlagKind => kind.replaceAll("_", "-") as CoreFlagKind;
