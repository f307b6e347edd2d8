import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineError, type StageSpan } from '@imagepipeline/contracts';
import { parseCsv, sampleRunReport } from './testing';
import { LATENCY_SHEET, STAGE_MATRIX_SHEET } from './latency-workbook';
import { isImageFailure, type ImageSuccess, type RunReport } from './run-report';
import type { RunSummary } from './run-summary';
import { writeRunResults } from './write-run-results';

const STAGES = ['upload', 'noise_reduction', 'background_removal', 'classification'];

let root: string;
let report: RunReport;
let outDir: string;
let written: { dir: string; files: string[] };

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'reporting-spec-'));
  report = await sampleRunReport(); // cat.jpg, 'fox, "red".jpeg', broken.png (failed)
  outDir = path.join(root, 'results', 'local', 'grpc');
  written = await writeRunResults(report, outDir);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeRunResults', () => {
  it('writes every file and lists them', async () => {
    expect(written.dir).toBe(path.resolve(outDir));
    const expected = [
      'latency.csv',
      'latency.xlsx',
      'pipeline_timeline/cat/01-uploaded.png',
      'pipeline_timeline/cat/02-denoised.png',
      'pipeline_timeline/cat/03-background-removed.png',
      'pipeline_timeline/fox_red_/01-uploaded.png',
      'pipeline_timeline/fox_red_/02-denoised.png',
      'pipeline_timeline/fox_red_/03-background-removed.png',
      'processed/cat.png',
      'processed/fox_red_.png',
      'summary.json',
      'timeline.png',
      'timeline.svg',
    ];
    expect(written.files).toEqual(expected);
    expect(await listFiles(outDir)).toEqual(expected);
  });

  it('writes PNGs: the processed image as RGBA, the JPEG upload converted', async () => {
    const processed = await sharp(path.join(outDir, 'processed/cat.png')).metadata();
    expect(processed).toMatchObject({ format: 'png', channels: 4, width: 64, height: 48 });
    const uploaded = await sharp(path.join(outDir, 'pipeline_timeline/cat/01-uploaded.png')).metadata();
    expect(uploaded).toMatchObject({ format: 'png', width: 64, height: 48 });
  });

  it('renders timeline.png at twice the SVG size, with the images colours on it', async () => {
    const svg = await readFile(path.join(outDir, 'timeline.svg'), 'utf8');
    const [, width, height] = /<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg) ?? [];
    expect(Number(width)).toBe(1200);
    expect(svg).toContain('Pipeline timeline — gRPC, local, 3 images');
    expect(svg).toContain('broken.png — failed: IMAGE_UNREADABLE');

    const { data, info } = await sharp(path.join(outDir, 'timeline.png')).raw().toBuffer({ resolveWithObject: true });
    expect(info.width).toBe(2 * Number(width));
    expect(info.height).toBe(2 * Number(height));

    const colours = new Set<number>();
    let nonWhite = 0;
    for (let i = 0; i < data.length; i += info.channels) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (r < 245 || g < 245 || b < 245) nonWhite++;
      colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
    }
    const pixels = data.length / info.channels;
    expect(nonWhite / pixels).toBeGreaterThan(0.05);
    expect(nonWhite / pixels).toBeLessThan(0.6);
    expect(colours.size).toBeGreaterThan(20);
    // The first two series colours (Tableau blue and orange) fill the bars.
    expect(countNear(data, info.channels, [0x4e, 0x79, 0xa7])).toBeGreaterThan(2000);
    expect(countNear(data, info.channels, [0xf2, 0x8e, 0x2b])).toBeGreaterThan(2000);
  });

  it('writes latency.csv as RFC 4180 with one row per image and stage plus totals', async () => {
    const text = await readFile(path.join(outDir, 'latency.csv'), 'utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      'image',
      'stage',
      'start_s',
      'end_s',
      'observed_ms',
      'compute_ms',
      'transport_ms',
      'queue_ms',
      'status',
    ]);
    expect(rows.every((row) => row.length === header.length)).toBe(true);
    expect(rows.map((row) => `${row[0]}|${row[1]}`)).toEqual([
      ...[...STAGES, 'total_orchestrator', 'total_client'].map((stage) => `cat.jpg|${stage}`),
      ...[...STAGES, 'total_orchestrator', 'total_client'].map((stage) => `fox, "red".jpeg|${stage}`),
      'broken.png|total_client',
    ]);
    const cat = report.images[0] as ImageSuccess;
    const noise = cat.result.timeline[1];
    const noiseRow = rows[1];
    expect(Number(noiseRow[4])).toBe(noise.observedMs);
    expect(Number(noiseRow[5])).toBe(noise.computeMs);
    expect(Number(noiseRow[6])).toBe(noise.observedMs - noise.computeMs);
    expect(Number(noiseRow[3]) - Number(noiseRow[2])).toBeCloseTo(noise.observedMs / 1000, 3);
    expect(Number(rows[0][2])).toBeGreaterThanOrEqual(0);
    expect(rows[12]).toEqual(['broken.png', 'total_client', '', '', '12', '', '', '', 'IMAGE_UNREADABLE']);
  });

  it('writes latency.xlsx with a formatted latency sheet and the stages × images sheet', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(outDir, 'latency.xlsx'));
    expect(workbook.worksheets.map((s) => s.name)).toEqual([LATENCY_SHEET, STAGE_MATRIX_SHEET]);

    const latency = workbook.getWorksheet(LATENCY_SHEET)!;
    expect(latency.rowCount).toBe(1 + 13);
    expect(rowValues(latency, 1)).toEqual(['image', 'stage', 'start_s', 'end_s', 'observed_ms', 'compute_ms', 'transport_ms', 'queue_ms', 'status']);
    expect(latency.getRow(1).font?.bold).toBe(true);
    const cat = report.images[0] as ImageSuccess;
    const upload = latency.getRow(2);
    expect(upload.getCell(1).value).toBe('cat.jpg');
    expect(upload.getCell(2).value).toBe('upload');
    expect(upload.getCell(5).value).toBe(cat.result.timeline[0].observedMs);
    expect(upload.getCell(3).numFmt).toBe('0.000');
    expect(upload.getCell(5).numFmt).toBe('#,##0.0');
    expect(rowValues(latency, 14)).toEqual(['broken.png', 'total_client', null, null, 12, null, null, null, 'IMAGE_UNREADABLE']);

    const matrix = workbook.getWorksheet(STAGE_MATRIX_SHEET)!;
    expect(rowValues(matrix, 1)).toEqual(['stage', 'cat.jpg', 'fox, "red".jpeg', 'broken.png']);
    const fox = report.images[1] as ImageSuccess;
    STAGES.forEach((stage, i) => {
      expect(rowValues(matrix, i + 2)).toEqual([
        stage,
        spanOf(cat.result.timeline, stage).observedMs,
        spanOf(fox.result.timeline, stage).observedMs,
        null,
      ]);
    });
    expect(rowValues(matrix, 6)).toEqual(['total_orchestrator', cat.result.totalMs, fox.result.totalMs, null]);
  });

  it('writes summary.json with the run, each image and the files', async () => {
    const summary = JSON.parse(await readFile(path.join(outDir, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary).toMatchObject({
      schemaVersion: 1,
      protocol: 'grpc',
      topology: 'local',
      orchestrator: '127.0.0.1:50030',
      startedAt: new Date(report.startedAtMs).toISOString(),
      finishedAt: new Date(report.finishedAtMs).toISOString(),
      counts: { images: 3, succeeded: 2, failed: 1 },
      machine: { os: 'linux 6.8.0 x64', cpus: 2, memoryBytes: 8 * 1024 ** 3 },
      files: written.files,
    });
    expect(summary.versions).toMatchObject({ pipeline: '0.1.0', node: process.version });
    const wall = (report.finishedAtMs - report.startedAtMs) / 1000;
    expect(summary.wallSeconds).toBeCloseTo(wall, 3);
    expect(summary.imagesPerSecond).toBeCloseTo(2 / wall, 3);

    const [cat, fox, broken] = summary.images;
    expect(cat).toMatchObject({ fileName: 'cat.jpg', status: 'ok', label: 'tabby cat', probability: 0.82, uploadId: 'upload-1' });
    expect(cat.topK).toHaveLength(3);
    expect(Object.keys(cat.stages ?? {})).toEqual(STAGES);
    expect(cat.totals.orchestratorMs).toBe((report.images[0] as ImageSuccess).result.totalMs);
    expect(cat.files).toContain('processed/cat.png');
    expect(fox.label).toBe('red fox');
    expect(broken).toMatchObject({
      fileName: 'broken.png',
      status: 'failed',
      error: { code: 'IMAGE_UNREADABLE' },
      totals: { clientMs: 12 },
      files: [],
    });
    expect(broken.label).toBeUndefined();
  });
});

describe('writeRunResults replaces the folder atomically', () => {
  it('replaces an existing folder and leaves no temporary siblings', async () => {
    const target = path.join(root, 'replace', 'rest');
    await mkdir(target, { recursive: true });
    await writeFile(path.join(target, 'old.txt'), 'old run');
    await writeRunResults(report, target);
    const files = await listFiles(target);
    expect(files).not.toContain('old.txt');
    expect(files).toContain('timeline.png');
    expect(await readdir(path.dirname(target))).toEqual(['rest']);
  });

  it('keeps the old folder when the report is invalid (data not a Buffer)', async () => {
    const target = await oldResults('invalid');
    const bad = withFirstSuccess(report, (s) => ({
      ...s,
      result: { ...s.result, processedImage: { ...s.result.processedImage!, data: 'not bytes' as unknown as Buffer } },
    }));
    const error = await writeRunResults(bad, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as PipelineError).code).toBe('INVALID_ARGUMENT');
    expect((error as Error).message).toContain('report.images[0].result.processedImage.data: expected a Buffer, got "not bytes"');
    await expectOldResultsIntact(target);
  });

  it('keeps the old folder and removes the temporary one when writing fails midway', async () => {
    const target = await oldResults('midway');
    // The second image's upload is not a decodable image: converting it to PNG fails after
    // the first image's files are already in the temporary folder.
    const bad = structuredClone(report);
    (bad.images[1] as ImageSuccess).result.uploadedImage!.data = Buffer.from('definitely not a jpeg');
    const error = await writeRunResults(bad, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PipelineError);
    expect((error as Error).message).toMatch(/unsupported image format/i);
    await expectOldResultsIntact(target);
  });

  it('removes leftovers of a process that died mid-write', async () => {
    const target = path.join(root, 'stale', 'grpc');
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const leftover = `${target}.tmp-${deadPid}-0badf00d`;
    await mkdir(leftover, { recursive: true });
    await writeFile(path.join(leftover, 'timeline.svg'), '<svg');
    await writeRunResults(report, target);
    expect(await readdir(path.dirname(target))).toEqual(['grpc']);
  });

  it('refuses to replace a file', async () => {
    const target = path.join(root, 'a-file');
    await writeFile(target, 'not a folder');
    await expect(writeRunResults(report, target)).rejects.toThrow('expected a folder');
    expect(await readFile(target, 'utf8')).toBe('not a folder');
  });
});

async function oldResults(name: string): Promise<string> {
  const target = path.join(root, name, 'grpc');
  await mkdir(target, { recursive: true });
  await writeFile(path.join(target, 'old.txt'), 'old run');
  return target;
}

async function expectOldResultsIntact(target: string): Promise<void> {
  expect(await listFiles(target)).toEqual(['old.txt']);
  expect(await readFile(path.join(target, 'old.txt'), 'utf8')).toBe('old run');
  expect(await readdir(path.dirname(target))).toEqual(['grpc']);
}

function withFirstSuccess(source: RunReport, change: (s: ImageSuccess) => ImageSuccess): RunReport {
  const index = source.images.findIndex((o) => !isImageFailure(o));
  return { ...source, images: source.images.map((o, i) => (i === index ? change(o as ImageSuccess) : o)) };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

function rowValues(sheet: ExcelJS.Worksheet, row: number): unknown[] {
  const values = (sheet.getRow(row).values as unknown[]).slice(1);
  return Array.from({ length: sheet.columnCount }, (_, i) => values[i] ?? null);
}

function spanOf(timeline: StageSpan[], stage: string): StageSpan {
  return timeline.find((s) => s.stage === stage)!;
}

function countNear(data: Buffer, channels: number, [r, g, b]: number[]): number {
  let count = 0;
  for (let i = 0; i < data.length; i += channels) {
    if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 12) count++;
  }
  return count;
}
