import type { WindowOutcome } from "@fleetwatch/core/schemas";
import type { WindowOutcome as StoredOutcome } from "@fleetwatch/db/client";

// Prisma names an enum value by an identifier, so the database's `in-progress` is `in_progress` in
// the client (schema.prisma maps it); core, the wire and the screens say `in-progress`. The one
// place the two spellings meet.

export const toStoredOutcome = (o: WindowOutcome): StoredOutcome => (o === "in-progress" ? "in_progress" : o);
export const fromStoredOutcome = (o: StoredOutcome): WindowOutcome => (o === "in_progress" ? "in-progress" : o);
