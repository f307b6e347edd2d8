/**
 * The original Python project's published per-stage times (ms, as its orchestrator saw them, on its
 * hardware) for the eight seed photos, in the order cat, fox, lion, bird, dog, butterfly, tiger,
 * chicken. Source: the seed baseline notes.
 */
export const ORIGINAL_LOCAL_GRPC_MS: Record<string, number[]> = {
  upload: [10.7, 114.9, 20.9, 22.2, 56.4, 82.0, 26.7, 329.2],
  noise_reduction: [75.6, 289.2, 393.9, 312.9, 290.4, 2616.5, 324.2, 1601.0],
  background_removal: [2191.5, 1468.6, 1533.3, 1439.2, 1350.5, 2186.9, 1863.2, 1523.6],
  classification: [1070.4, 1380.8, 208.8, 813.7, 838.8, 913.3, 209.8, 385.6],
};

export const ORIGINAL_LOCAL_REST_MS: Record<string, number[]> = {
  upload: [157.4, 49.6, 46.1, 31.5, 203.9, 361.6, 92.7, 839.8],
  noise_reduction: [157.3, 263.6, 581.8, 347.7, 821.5, 5061.5, 472.5, 3457.7],
  background_removal: [1632.1, 2902.0, 2803.8, 2541.2, 1479.8, 2564.0, 3065.1, 2951.9],
  classification: [2653.2, 2917.7, 1985.2, 1301.6, 2127.6, 875.6, 3064.6, 204.8],
};

