import { resolve } from 'node:path';
import { parseCommandLine } from '@imagepipeline/config';

export const BENCHMARK_USAGE = `usage: npx nx run benchmark:run [--quick] [--input DIR]... [--out DIR] [--no-distributed]
                                 [--rate RATE] [--relay-delay-ms N] [--repetitions N] [--base-port N]
                                 [--camera MP,...] [--only-camera]

Compares gRPC, REST with binary bodies (between the services over HTTP/1.1, and over HTTP/2) and
REST with JSON+base64 on the same work: transport alone
(an echo stage), every stage hop, whole images, throughput against concurrency, bytes on the wire;
locally and, as root, in the network-namespace topology with and without tbf rate shaping; then
camera resolutions locally, with the peak memory of every service with four of the largest in
flight. Writes report.md, raw.json and charts to <out>/. A full run takes about 35 min on 2 cores,
a short run (--quick, no camera resolutions) about 1 min; --only-camera about 7 min. Needs the
model files (README, "Models").

  --quick               a short run: local only, fewer payloads and repetitions
  --input DIR           send your photos too, ahead of the repository's (repeat for more folders)
  --out DIR             where the report goes (default results/benchmark)
  --no-distributed      skip the network-namespace topologies
  --rate RATE           tbf rate of the shaped distributed topology (default 100mbit)
  --relay-delay-ms N    delay per chunk and direction in the relay-delay echo topology (default 1)
  --repetitions N       repetitions per measurement (default 3; --quick 1)
  --base-port N         first port of the services started (default 25000)
  --camera MP,...       camera resolutions in megapixels (default 12,24,48; --quick or --camera '': none)
  --only-camera         only the camera resolutions
  -h, --help            this text
`;

/** What one benchmark run measures; `--quick` is the small version the spec runs. */
export interface BenchmarkSettings {
  quick: boolean;
  out: string;
  /** Folders of the user's own photos, sent beside the repository's (`--input`, repeatable). */
  inputDirs: string[];
  /** How many of the repository's photos to send; all when undefined. */
  photoLimit?: number;
  syntheticMegapixels: number[];
  /** Camera resolutions sent through every variant locally; the largest also four at once. */
  cameraMegapixels: number[];
  /** Only the camera resolutions: no echo, no photos, no distributed topologies. */
  onlyCamera: boolean;
  warmups: number;
  repetitions: number;
  echoRepetitions: number;
  concurrencyLevels: number[];
  imagesPerLevel: number;
  /** Distributed topologies (network namespaces); skipped when not root. */
  distributed: boolean;
  /** tbf rate of the shaped distributed topology. */
  rate: string;
  /** Delay per chunk and direction the relays add in the "relay delay" echo topology. */
  relayDelayMs: number;
  distributedPhotoLimit: number;
  distributedRepetitions: number;
  /** Stacks use basePort…basePort+399, the echo stages basePort+400…+413. */
  basePort: number;
}

export function readSettings(argv: string[], defaults: { out: string }): BenchmarkSettings {
  const values = parseCommandLine(
    BENCHMARK_USAGE,
    {
      quick: { type: 'boolean', default: false },
      out: { type: 'string', default: defaults.out },
      input: { type: 'string', multiple: true, default: [] },
      'no-distributed': { type: 'boolean', default: false },
      rate: { type: 'string', default: '100mbit' },
      'relay-delay-ms': { type: 'string', default: '1' },
      repetitions: { type: 'string' },
      'base-port': { type: 'string', default: '25000' },
      camera: { type: 'string' },
      'only-camera': { type: 'boolean', default: false },
    },
    argv,
  );
  const quick = values.quick ?? false;
  const repetitions = values.repetitions ? Number(values.repetitions) : quick ? 1 : 3;
  return {
    quick,
    out: values.out ?? defaults.out,
    inputDirs: (values.input ?? []).map((dir) => resolve(dir)),
    photoLimit: quick ? 2 : undefined,
    syntheticMegapixels: quick ? [0.1, 1] : [0.1, 1, 4, 16],
    cameraMegapixels: values.camera !== undefined ? values.camera.split(',').filter(Boolean).map(Number) : quick ? [] : [12, 24, 48],
    onlyCamera: values['only-camera'] ?? false,
    warmups: 1,
    repetitions,
    echoRepetitions: quick ? 5 : 20,
    concurrencyLevels: quick ? [1, 4] : [1, 2, 4, 8, 16],
    imagesPerLevel: quick ? 6 : 24,
    distributed: !quick && !values['no-distributed'],
    rate: values.rate ?? '100mbit',
    relayDelayMs: Number(values['relay-delay-ms'] ?? 1),
    distributedPhotoLimit: 2,
    distributedRepetitions: quick ? 1 : 2,
    basePort: Number(values['base-port'] ?? 25000),
  };
}
