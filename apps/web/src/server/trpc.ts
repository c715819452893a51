import { createCaller } from "@fleetwatch/api";
import { createRequestContext } from "@fleetwatch/api/server";
import { redirect } from "next/navigation";
import { cache } from "react";
import { currentUser } from "./auth";
import { viewerZone } from "./viewer-zone";

/** A tRPC caller for server components, as the signed-in user; sends visitors to sign in. */
export const api = cache(async () => {
  const session = await currentUser();
  if (!session) redirect("/signin");
  const ctx = await createRequestContext({ authorization: null, user: session });
  // A user disabled since signing in is signed out; a changed role applies at once.
  if (ctx.caller.kind !== "user") redirect("/signin");
  const user = { ...session, role: ctx.caller.role };
  // Every time the page renders is in the viewer's zone (the formatters read it for this request).
  const zone = await viewerZone();
  return { user, zone, trpc: createCaller(ctx) };
});

/** For the admin pages: the caller, or null for other roles (the settings layout says why). */
export async function adminApi() {
  const session = await api();
  return session.user.role === "admin" ? session : null;
}
