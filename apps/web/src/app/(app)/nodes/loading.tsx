/** The node list's frame while it loads: filters, then rows at table height. */
export default function Loading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading the node list">
      <div className="page-head">
        <div className="skeleton" style={{ height: 28, width: 180 }} />
      </div>
      <div className="skeleton" style={{ height: 132, marginBottom: 12 }} />
      <div className="skeleton" style={{ height: 560 }} />
    </div>
  );
}
