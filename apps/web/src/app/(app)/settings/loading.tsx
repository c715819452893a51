export default function Loading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading settings" className="stack">
      <div className="skeleton" style={{ height: 260 }} />
      <div className="skeleton" style={{ height: 320 }} />
    </div>
  );
}
