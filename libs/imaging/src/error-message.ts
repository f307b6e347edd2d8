/** The message of anything thrown (not exported from the lib). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
