import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** What one benchmark run measures; `--quick` is the small version the spec runs. */
export interface BenchmarkSettings {
  quick: boolean;
  out: string;
  /** Folders of the user's own photos, sent beside the repository's (`--input`, repeatable). */
  inputDirs: string[];
  /** How many of the repository's photos to send; all when undefined. */
  photoLimit?: number;
  syntheticMegapixels: number[];
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
  /** Stacks use basePort…basePort+299, the echo stages basePort+400…+412. */
  basePort: number;
}

export function readSettings(argv: string[], defaults: { out: string }): BenchmarkSettings {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      out: { type: 'string', default: defaults.out },
      input: { type: 'string', multiple: true, default: [] },
      'no-distributed': { type: 'boolean', default: false },
      rate: { type: 'string', default: '100mbit' },
      'relay-delay-ms': { type: 'string', default: '1' },
      repetitions: { type: 'string' },
      'base-port': { type: 'string', default: '25000' },
    },
  });
  const quick = values.quick ?? false;
  const repetitions = values.repetitions ? Number(values.repetitions) : quick ? 1 : 3;
  return {
    quick,
    out: values.out ?? defaults.out,
    inputDirs: (values.input ?? []).map((dir) => resolve(dir)),
    photoLimit: quick ? 2 : undefined,
    syntheticMegapixels: quick ? [0.1, 1] : [0.1, 1, 4, 16],
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
