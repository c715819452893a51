import { nodeOwner } from "@fleetwatch/core/report";
import { z } from "zod";
import { actorLabel, type Caller } from "../../caller";
import type { Db } from "../../context";
import { notFound } from "../../errors";
import { audit } from "../admin/audit";

/** Blank clears staff's value (the server's shows again); an e-mail must look like one. */
export const nodeOwnerInput = z.object({
  nodeId: z.uuid(),
  contact: z
    .string()
    .trim()
    .max(256, "the contact is at most 256 characters")
    .transform((s) => s || null)
    .nullable()
    .default(null),
  email: z
    .union([z.literal(""), z.email("the e-mail address does not look like one (name@example.org)")])
    .nullable()
    .default(null)
    .transform((s) => (s ? s.toLowerCase() : null)),
  reason: z.string().trim().max(500).nullable().default(null),
});
export type NodeOwnerInput = z.output<typeof nodeOwnerInput>;

/**
 * Staff set or correct who a node's morning report goes to, where the TSM server gives nobody or
 * the wrong person. Kept apart from the server's CONTACT and EMAIL_ADDRESS (the collector
 * overwrites those every hour); audited with the values before and after.
 */
export async function setNodeOwner(db: Db, caller: Caller, args: NodeOwnerInput & { now: Date }) {
  return db.$transaction(async (tx) => {
    const node = await tx.node.findUnique({
      where: { id: args.nodeId },
      select: { id: true, name: true, contact: true, email: true, staffContact: true, staffEmail: true },
    });
    if (!node) throw notFound("node");
    const cleared = args.contact === null && args.email === null;
    const updated = await tx.node.update({
      where: { id: node.id },
      data: {
        staffContact: args.contact,
        staffEmail: args.email,
        ownerSetBy: cleared ? null : actorLabel(caller),
        ownerSetAt: cleared ? null : args.now,
      },
      select: { contact: true, email: true, staffContact: true, staffEmail: true },
    });
    await audit(tx, caller, {
      action: "node.owner",
      targetType: "node",
      targetId: node.id,
      reason: args.reason,
      detail: {
        name: node.name,
        before: { contact: node.staffContact, email: node.staffEmail },
        after: { contact: args.contact, email: args.email },
      },
    });
    return { id: node.id, name: node.name, owner: nodeOwner(updated) };
  });
}
