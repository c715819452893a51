import Link from "next/link";

export function TopBar({ email, role }: { email: string; role: string }) {
  return (
    <header className="top">
      <Link href="/" className="brand">
        Fleetwatch
      </Link>
      <span className="who">
        {email} · {role} · <a href="/api/auth/signout">Sign out</a>
      </span>
    </header>
  );
}
