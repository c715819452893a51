import Link from "next/link";
import { formatCount } from "~/lib/format";

/** "1–50 of 236" with previous/next; `href(page)` builds each page's link. */
export function Pagination({
  total,
  page,
  pageSize,
  href,
  noun,
}: {
  total: number;
  page: number;
  pageSize: number;
  href: (page: number) => string;
  noun: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav className="pagination" aria-label="Pages">
      <span data-testid="page-range">
        {total === 0 ? `No ${noun}` : `${formatCount(from)}–${formatCount(to)} of ${formatCount(total)} ${noun}`}
      </span>
      <span className="pages">
        {page > 1 ? (
          <Link href={href(page - 1)} className="button small" rel="prev">
            ← Previous
          </Link>
        ) : (
          <span className="button small" aria-disabled="true">
            ← Previous
          </span>
        )}
        <span className="muted">
          page {page} of {pages}
        </span>
        {page < pages ? (
          <Link href={href(page + 1)} className="button small" rel="next">
            Next →
          </Link>
        ) : (
          <span className="button small" aria-disabled="true">
            Next →
          </span>
        )}
      </span>
    </nav>
  );
}
