/**
 * glibc malloc settings every service process starts with (environment variable `GLIBC_TUNABLES`):
 * large blocks come from the heap, and up to 1 GiB of freed heap is kept for reuse, instead of a
 * fresh `mmap` per block.
 *
 * Why: a camera photo's raw pixels are 36–144 MB, and each stage allocates several such buffers
 * per image (socket reads joined, pixels decoded, pixels answered). glibc maps every block over
 * 32 MiB afresh and unmaps it when freed, so each one costs a page fault per 4 KiB on first touch:
 * about 13 ms per 36 MB here, against 3 ms for the copy itself. Measured on the whole pipeline
 * (local, both protocols): a 12 MP photo 1.37 s → 0.9–1.0 s end to end, 48 MP 4.5 s → 2.5 s.
 * The cost: an idle process may hold up to 1 GiB more than it uses (no limit there let three idle
 * stacks side by side run the benchmark machine out of memory), so memory limits are set from peak
 * RSS measured with these settings (README, "Camera resolution and memory").
 */
export const SERVICE_MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=4294967295:glibc.malloc.trim_threshold=1073741824';
