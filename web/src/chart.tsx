// A cumulative step chart in plain SVG: time on x, an amount on y, one line per series. A few dozen lines do what a
// chart library would, for no bytes shipped; its numbers are also in the table beside it, for screen readers.
export interface SeriesPoint {
  /** Unix seconds. */
  t: number;
  /** Cumulative amount, in whole tokens. */
  y: number;
}

export interface Series {
  label: string;
  points: SeriesPoint[];
  /** Straight segments between points (an amount that accrues continuously); default steps (paid at once). */
  line?: boolean;
}

const COLORS = ["#1f6feb", "#d4572a", "#2e8b57", "#8a4fd0", "#b8860b", "#c2185b"];
const W = 640;
const H = 220;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

export function StepChart({ series, unit, title }: { series: Series[]; unit: string; title: string }) {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return <p>No earnings yet.</p>;
  const t0 = Math.min(...all.map((p) => p.t));
  const t1 = Math.max(t0 + 1, ...all.map((p) => p.t));
  const yMax = Math.max(...all.map((p) => p.y)) || 1;
  const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / yMax) * (H - PAD.top - PAD.bottom);
  const path = ({ points, line }: Series) => {
    const sorted = [...points].sort((a, b) => a.t - b.t);
    let d = `M ${x(sorted[0]!.t).toFixed(1)} ${y(sorted[0]!.y).toFixed(1)}`;
    for (const point of sorted.slice(1)) {
      d += line
        ? ` L ${x(point.t).toFixed(1)} ${y(point.y).toFixed(1)}`
        : ` H ${x(point.t).toFixed(1)} V ${y(point.y).toFixed(1)}`;
    }
    return d;
  };
  const time = (t: number) => new Date(t * 1000).toISOString().slice(11, 16);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} preserveAspectRatio="none">
        <line x1={PAD.left} y1={y(0)} x2={W - PAD.right} y2={y(0)} class="axis" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={y(0)} class="axis" />
        <text x={PAD.left - 4} y={PAD.top + 8} text-anchor="end" class="tick">
          {formatTick(yMax)}
        </text>
        <text x={PAD.left - 4} y={y(0)} text-anchor="end" class="tick">
          0
        </text>
        <text x={PAD.left} y={H - 8} class="tick">
          {time(t0)}
        </text>
        <text x={W - PAD.right} y={H - 8} text-anchor="end" class="tick">
          {time(t1)} UTC
        </text>
        {series.map((s, i) => (
          <path key={s.label} d={path(s)} stroke={COLORS[i % COLORS.length]} class="line" />
        ))}
      </svg>
      <figcaption>
        {series.map((s, i) => (
          <span key={s.label} class="legend">
            <span class="swatch" style={{ background: COLORS[i % COLORS.length] }} aria-hidden="true" />
            {s.label}: {formatTick(Math.max(0, ...s.points.map((p) => p.y)))} {unit}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

function formatTick(value: number): string {
  return value >= 1000
    ? value.toLocaleString("en", { maximumFractionDigits: 0 })
    : String(Number(value.toPrecision(4)));
}
