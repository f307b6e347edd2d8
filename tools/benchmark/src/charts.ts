import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { echoRows, hopRows } from './analysis';
import type { BenchmarkRaw } from './samples';
import { lineChartSvg, renderPng, type LineChart } from './svg-chart';
import { VARIANT_LABELS, VARIANTS } from './variants';

/** The chart files, written beside the report. */
export const CHART_FILES = {
  latencyCdf: 'latency-cdf.png',
  throughput: 'throughput.png',
  echoOverhead: 'echo-overhead-vs-payload.png',
  pipelineOverhead: 'pipeline-overhead-vs-payload.png',
} as const;

function charts(raw: BenchmarkRaw): Record<keyof typeof CHART_FILES, LineChart> {
  const local = (t: string) => t === 'local';
  const cdf = VARIANTS.map((variant) => {
    const values = raw.hops.filter((s) => local(s.topology) && s.variant === variant && !s.error).map((s) => s.clientMs).sort((a, b) => a - b);
    return { label: VARIANT_LABELS[variant], points: values.map((x, i) => ({ x, y: (i + 1) / values.length })) };
  });
  const throughput = VARIANTS.map((variant) => ({
    label: VARIANT_LABELS[variant],
    points: raw.throughput.filter((s) => local(s.topology) && s.variant === variant).map((s) => ({ x: s.concurrency, y: s.imagesPerSecond })),
  }));
  const echo = VARIANTS.map((variant) => ({
    label: VARIANT_LABELS[variant],
    points: echoRows(raw.echo)
      .filter((r) => local(r.topology) && r.variant === variant)
      .map((r) => ({ x: r.payloadBytes / 1e6, y: r.transport.median }))
      .sort((a, b) => a.x - b.x),
  }));
  const pipeline = VARIANTS.map((variant) => ({
    label: VARIANT_LABELS[variant],
    points: hopRows(raw.hops)
      .filter((r) => local(r.topology) && r.variant === variant)
      .map((r) => ({ x: r.megapixels, y: r.stagesTransport.median }))
      .sort((a, b) => a.x - b.x),
  }));
  return {
    latencyCdf: { title: 'End-to-end latency, one image alone, all payloads (local, CDF)', xLabel: 'ms', yLabel: 'fraction of images', series: cdf, logX: true },
    throughput: { title: 'Throughput against concurrency (local)', xLabel: 'images in flight', yLabel: 'images/s', series: throughput, logX: true },
    echoOverhead: { title: 'Echo stage: transport per call against payload (local)', xLabel: 'payload MB', yLabel: 'median ms', series: echo, logX: true, logY: true },
    pipelineOverhead: {
      title: 'Pipeline: transport over the four stage hops (local)',
      xLabel: 'megapixels',
      yLabel: 'median ms (observed − compute)',
      series: pipeline,
      logX: true,
      logY: true,
    },
  };
}

/** Renders each chart to PNG in `dir`; returns the file names. */
export async function writeCharts(raw: BenchmarkRaw, dir: string): Promise<string[]> {
  const built = charts(raw);
  for (const [key, file] of Object.entries(CHART_FILES) as [keyof typeof CHART_FILES, string][]) {
    await writeFile(join(dir, file), await renderPng(lineChartSvg(built[key])));
  }
  return Object.values(CHART_FILES);
}
