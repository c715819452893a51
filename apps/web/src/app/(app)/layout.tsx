import type { ReactNode } from "react";
import { AutoRefresh } from "~/components/auto-refresh";
import { TopBar } from "~/components/top-bar";
import { ZoneCookie } from "~/components/zone-cookie";
import { chosenTheme } from "~/server/theme";
import { api } from "~/server/trpc";

/** Every signed-in page: the top bar, a minute's refresh, and the page below. Visitors go to /signin. */
export default async function AppLayout({ children }: { children: ReactNode }) {
  const { user, zone } = await api();
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to the page
      </a>
      <TopBar email={user.email} role={user.role} theme={await chosenTheme()} />
      <AutoRefresh />
      <ZoneCookie known={zone.browser} />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
