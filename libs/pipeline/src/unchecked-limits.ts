/**
 * Limits that let everything through: for pixels a stage has already checked, and for reading a
 * header the uploader, not the orchestrator, checks against the real limits.
 */
export const UNCHECKED_LIMITS = Object.freeze({ maxBytes: Number.MAX_SAFE_INTEGER, maxPixels: Number.MAX_SAFE_INTEGER });
