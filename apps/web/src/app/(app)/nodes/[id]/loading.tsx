/** The node page's frame while it loads: same blocks, same heights. */
export default function Loading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading the node">
      <div className="skeleton" style={{ height: 18, width: 160, marginBottom: 8 }} />
      <div className="page-head">
        <div className="skeleton" style={{ height: 28, width: 220 }} />
      </div>
      <div className="skeleton" style={{ height: 22, width: 140, marginBottom: 12 }} />
      <div className="skeleton section" style={{ height: 76 }} />
      <div className="panel-grid section">
        <div className="skeleton" style={{ height: 260 }} />
        <div className="skeleton" style={{ height: 260 }} />
      </div>
    </div>
  );
}
