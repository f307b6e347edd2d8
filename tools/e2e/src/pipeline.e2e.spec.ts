// The same end-to-end suite for both protocols: the five built services as real processes on
// loopback, the built pipeline client sending the repository photos plus one broken file.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES, type Protocol, type ServiceName } from '@imagepipeline/config';
import { makeTruncatedJpeg, readTestPhotos, type PhotoFile } from '@imagepipeline/imaging/testing';
import { testModelEnv } from '@imagepipeline/models/testing';
import { LATENCY_COLUMNS } from '@imagepipeline/reporting';
import { parseCsv } from '@imagepipeline/reporting/testing';
import { LOCAL_HOSTS, planServices, startServices, type StartedServices } from '@imagepipeline/topology';
import { REPO_ROOT, runCli, type CliRun } from './run-cli';

/**
 * Ports away from the defaults (a running `npm start` does not collide) and below Linux's ephemeral
 * range, so no socket another test opened on port 0 can hold one.
 */
function testPorts(base: number): Record<ServiceName, number> {
  return Object.fromEntries(SERVICE_NAMES.map((service, i) => [service, base + i])) as Record<ServiceName, number>;
}

/** Top-1 labels of the photos the model knows, by file name without its extension. */
const EXPECTED_LABELS: Record<string, string> = {
  camera: 'tripod',
  chelsea: 'Egyptian cat',
  coffee: 'espresso',
  eagle: 'kite',
};

const stemOf = (fileName: string) => fileName.replace(/\.[^.]+$/, '');

describe.each([
  ['grpc', 22100],
  ['rest', 22200],
] as const)('the pipeline over %s, local topology', (protocol: Protocol, basePort: number) => {
  let work: string;
  let services: StartedServices;
  let run: CliRun;
  let resultsDir: string;
  let photos: PhotoFile[];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), `e2e-${protocol}-`));
    const input = join(work, 'input');
    await mkdir(input);
    photos = await readTestPhotos();
    for (const { name, bytes } of photos) await writeFile(join(input, name), bytes);
    await writeFile(join(input, 'zz_broken.jpg'), await makeTruncatedJpeg());
    const ports = testPorts(basePort);
    services = await startServices({
      protocol,
      services: planServices(protocol, LOCAL_HOSTS, {
        ports,
        env: { ...testModelEnv(), LOG_LEVEL: 'warn' },
      }),
      root: REPO_ROOT,
      logDir: join(work, 'logs'),
      log: () => undefined,
    });
    const out = join(work, 'results');
    run = await runCli(['--protocol', protocol, '--input', input, '--out', out, '--orchestrator', `127.0.0.1:${ports.orchestrator}`, '--concurrency', '4']);
    resultsDir = join(out, 'local', protocol);
  });

  afterAll(async () => {
    await services?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('reports the broken image, exits 1, and finishes every other image', () => {
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/failed: zz_broken\.jpg: IMAGE_UNREADABLE: /);
    expect(run.stdout).toContain(`Results: ${resultsDir}`);
    expect(run.stdout).toContain(`${photos.length + 1} images: ${photos.length} ok, 1 failed`);
  });

  it('labels the photos the model knows', async () => {
    const summary = JSON.parse(await readFile(join(resultsDir, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ protocol, topology: 'local' });
    const labels = Object.fromEntries(
      summary.images.filter((i: { label?: string }) => i.label).map((i: { fileName: string; label: string }) => [stemOf(i.fileName), i.label]),
    );
    expect(labels).toMatchObject(EXPECTED_LABELS);
  });

  it('writes each processed image as RGBA at the original size, with its intermediates', async () => {
    for (const { name, bytes } of photos) {
      const stem = stemOf(name);
      const original = await sharp(bytes).metadata();
      const processed = await sharp(join(resultsDir, 'processed', `${stem}.png`)).metadata();
      expect(processed, name).toMatchObject({ format: 'png', channels: 4, width: original.width, height: original.height });
      expect((await readdir(join(resultsDir, 'pipeline_timeline', stem))).sort()).toEqual([
        '01-uploaded.png',
        '02-denoised.png',
        '03-background-removed.png',
      ]);
    }
  });

  it('draws a timeline chart with real content', async () => {
    const png = join(resultsDir, 'timeline.png');
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBeGreaterThanOrEqual(1200);
    const { channels } = await sharp(png).stats();
    // A blank or single-colour image has no spread; bars, text and axes give plenty.
    expect(channels.slice(0, 3).every((channel) => channel.stdev > 10)).toBe(true);
    const { data } = await sharp(png).resize(300).raw().toBuffer({ resolveWithObject: true });
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 3) colours.add((data[i] >> 4) * 256 + (data[i + 1] >> 4) * 16 + (data[i + 2] >> 4));
    expect(colours.size).toBeGreaterThan(20);
  });

  it('logs latency per image and stage as CSV and XLSX', async () => {
    const rows = parseCsv(await readFile(join(resultsDir, 'latency.csv'), 'utf8'));
    expect(rows[0]).toEqual([...LATENCY_COLUMNS]);
    const stageRows = rows.slice(1).filter((row) => ['upload', 'noise_reduction', 'background_removal', 'classification'].includes(row[1]));
    expect(stageRows).toHaveLength(photos.length * 4);
    for (const row of stageRows) {
      const observed = Number(row[4]);
      const compute = Number(row[5]);
      expect(observed).toBeGreaterThanOrEqual(compute);
      expect(Number(row[6])).toBeCloseTo(observed - compute, 0);
    }
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(resultsDir, 'latency.xlsx'));
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(rows.length);
    expect(sheet.getRow(1).values).toEqual([undefined, ...LATENCY_COLUMNS]);
  });
});
