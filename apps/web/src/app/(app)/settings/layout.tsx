import type { ReactNode } from "react";
import { SettingsNav } from "~/components/settings/settings-nav";
import { can } from "~/lib/labels";
import { api } from "~/server/trpc";

/** Settings are for administrators; others see why the page is empty (the API refuses them anyway). */
export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const { user } = await api();
  return (
    <>
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      {can(user.role, "admin") ? (
        <>
          <SettingsNav />
          {children}
        </>
      ) : (
        <p className="empty">Only administrators can change settings, agents and users.</p>
      )}
    </>
  );
}
