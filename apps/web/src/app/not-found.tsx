import Link from "next/link";

export default function NotFound() {
  return (
    <main>
      <div className="empty">
        <p>There is no page at this address.</p>
        <Link href="/">Go to the fleet overview</Link>
      </div>
    </main>
  );
}
