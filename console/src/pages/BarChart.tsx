import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type BarSeries = { label: string; color: string; values: (number | null)[] };

const HEIGHT = 220;
const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 1_000_000];

/**
 * Bars of one or two series over named categories (days, hours, templates...), drawn by uPlot on
 * a canvas. Two series stand side by side. The figures themselves are in the table each chart's
 * caller renders beside it: a canvas cannot be read by a screen reader or a test.
 */
export function BarChart({
  labels,
  series,
  unit,
  max,
  title,
}: {
  labels: string[];
  series: BarSeries[];
  unit: string;
  /** The top of the y scale; by default the largest value. */
  max?: number;
  title: string;
}) {
  const holder = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = holder.current;
    if (!element || labels.length === 0) return;
    const x = labels.map((_, i) => i);
    const top = max ?? Math.max(1, ...series.flatMap((s) => s.values.map((v) => v ?? 0)));
    const side = series.length > 1;
    const chart = new uPlot(
      {
        width: Math.max(280, element.clientWidth),
        height: HEIGHT,
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: [0, top * 1.05] } },
        axes: [
          {
            splits: () => x,
            values: (_u, splits) => splits.map((i) => labels[i] ?? ''),
            grid: { show: false },
          },
          // Counts step by whole numbers.
          { label: unit, size: 50, ...(max === undefined ? { incrs: WHOLE_STEPS } : {}) },
        ],
        series: [
          { label: title, value: (_u, i) => (i === null ? '' : (labels[i] ?? '')) },
          ...series.map((s, index) => ({
            label: s.label,
            stroke: s.color,
            fill: `${s.color}cc`,
            width: 0,
            points: { show: false },
            value: (_u: uPlot, v: number | null) => (v === null ? '–' : `${formatNumber(v)} ${unit}`),
            paths: uPlot.paths.bars!({
              size: [side ? 0.4 : 0.6, 60],
              align: side ? (index === 0 ? -1 : 1) : 0,
            }),
          })),
        ],
      },
      [x, ...series.map((s) => s.values)],
      element,
    );
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(280, element.clientWidth), height: HEIGHT }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [labels, series, unit, max, title]);

  if (labels.length === 0) return <p className="meta">No messages in this range.</p>;
  return <div className="chart" ref={holder} aria-hidden="true" />;
}

export const formatNumber = (value: number): string =>
  Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
