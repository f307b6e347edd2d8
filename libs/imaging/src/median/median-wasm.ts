import { MEDIAN_WASM_BASE64, MEDIAN_WASM_KERNEL_SIZES } from '../generated/median-wasm';

/**
 * The slice of the WebAssembly JS API used here. @types/node 20 does not declare it and lib "dom"
 * would bring the whole DOM into every program that compiles this file.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const { Module, Instance } = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type SortRows = (src: number, planes: number, bytes: number) => void;
type MedianRowPair = (table: number, out0: number, out1: number, bytes: number) => void;

/** The instantiated SIMD median module (not exported from the lib). */
export interface MedianWasm {
  /** Sorts the k horizontal neighbours of each byte of a padded row (see assembly source docs). */
  sortRows(kernelSize: number, channels: 3 | 4): SortRows;
  /** Medians of two output rows from the k+1 sorted rows listed in `table`. */
  medianRowPair(kernelSize: number): MedianRowPair;
  /** Copies alpha bytes of RGBA `src` into `dst`, 16 bytes at a time. */
  restoreAlpha(src: number, dst: number, bytes: number): void;
  /** Grows memory so that `bytes` fit from the returned offset; views made before are stale. */
  reserve(bytes: number): { start: number; memory: WasmMemory };
}

const PAGE_BYTES = 65_536;
let instance: MedianWasm | undefined;

/** Compiles and instantiates the module on first use (synchronously, once per thread). */
export function medianWasm(): MedianWasm {
  instance ??= instantiate();
  return instance;
}

function instantiate(): MedianWasm {
  const module = new Module(Buffer.from(MEDIAN_WASM_BASE64, 'base64'));
  const exports = new Instance(module, {}).exports;
  const memory = exports.memory as WasmMemory;
  const start = align((exports.memoryStart as () => number)(), 64);
  const exported = <T>(name: string): T => {
    const fn = exports[name];
    if (typeof fn !== 'function') throw new Error(`median wasm has no export ${name}`);
    return fn as T;
  };
  const hasKernel = (k: number) => {
    if (!MEDIAN_WASM_KERNEL_SIZES.includes(k)) throw new Error(`median wasm has no kernel ${k}`);
  };
  return {
    sortRows: (k, channels) => (hasKernel(k), exported<SortRows>(`sortRows${k}c${channels}`)),
    medianRowPair: (k) => (hasKernel(k), exported<MedianRowPair>(`medianRowPair${k}`)),
    restoreAlpha: exported('restoreAlpha'),
    reserve(bytes) {
      const missing = start + bytes - memory.buffer.byteLength;
      if (missing > 0) memory.grow(Math.ceil(missing / PAGE_BYTES));
      return { start, memory };
    },
  };
}

export function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}
