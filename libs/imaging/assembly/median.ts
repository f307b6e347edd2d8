// The hand-written half of the median WebAssembly module; the kernels come from
// scripts/median-assembly-source.ts. Build: `nx run imaging:generate`.

/** First byte free for the caller's buffers (after static data). */
export function memoryStart(): usize {
  return __heap_base;
}

/**
 * Copies the alpha byte of every RGBA pixel from `src` to `dst` (the median leaves alpha as it
 * was). `bytes` is rounded up to 16; both buffers must have that much room.
 */
export function restoreAlpha(src: usize, dst: usize, bytes: usize): void {
  const alpha = i32x4.splat(0xff000000);
  for (let i: usize = 0; i < bytes; i += 16) {
    v128.store(dst + i, v128.bitselect(v128.load(src + i), v128.load(dst + i), alpha));
  }
}
