export default function Loading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading alerts">
      <div className="page-head">
        <div className="skeleton" style={{ height: 28, width: 140 }} />
      </div>
      {Array.from({ length: 6 }, (_, i) => (
        <div key={`a${i}`} className="skeleton" style={{ height: 72, marginBottom: 8 }} />
      ))}
    </div>
  );
}
