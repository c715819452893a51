export default function Loading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading the audit log">
      <div className="page-head">
        <div className="skeleton" style={{ height: 28, width: 160 }} />
      </div>
      <div className="skeleton" style={{ height: 480 }} />
    </div>
  );
}
