import Link from "next/link";

export default function NodeNotFound() {
  return (
    <div className="empty">
      <p>There is no node with this address. It may have been removed from the TSM server.</p>
      <Link href="/nodes">Back to the node list</Link>
    </div>
  );
}
