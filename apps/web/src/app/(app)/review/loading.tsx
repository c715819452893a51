export default function Loading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading the review">
      <div className="page-head">
        <div className="skeleton" style={{ height: 28, width: 320 }} />
      </div>
      <div className="skeleton section" style={{ height: 300 }} />
      <div className="skeleton section" style={{ height: 200 }} />
    </div>
  );
}
