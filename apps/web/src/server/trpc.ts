import { createCaller } from "@fleetwatch/api";
import { createRequestContext } from "@fleetwatch/api/server";
import { redirect } from "next/navigation";
import { cache } from "react";
import { currentUser } from "./auth";

/** A tRPC caller for server components, as the signed-in user; sends visitors to sign in. */
export const api = cache(async () => {
  const user = await currentUser();
  if (!user) redirect("/signin");
  return { user, trpc: createCaller(await createRequestContext({ authorization: null, user })) };
});

/** For the admin pages: the caller, or null for other roles (the settings layout says why). */
export async function adminApi() {
  const session = await api();
  return session.user.role === "admin" ? session : null;
}
