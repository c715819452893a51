/** The overview's frame while it loads: the cards' grid, the list and the chart, at their heights. */
export default function Loading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading the overview">
      <div className="page-head">
        <div className="skeleton" style={{ height: 28, width: 200 }} />
      </div>
      <div className="cards">
        {Array.from({ length: 14 }, (_, i) => (
          <div key={i} className="skeleton" style={{ height: 74 }} />
        ))}
      </div>
      <div className="skeleton section" style={{ height: 240 }} />
      <div className="skeleton section" style={{ height: 320 }} />
    </div>
  );
}
