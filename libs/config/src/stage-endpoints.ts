/** One `host:port` of a stage address; the host is a name, an IPv4 literal or a bracketed IPv6 literal. */
const ENDPOINT = /^[\w.-]+:\d{1,5}$|^\[[\da-fA-F:]+\]:\d{1,5}$/;

/**
 * The endpoints of a stage address: `host:port`, or several separated by commas
 * (`h1:50042,h2:50042`) for replicas the operator lists by hand. A name may itself resolve to
 * several replicas; the stage clients balance over both.
 */
export function stageEndpoints(address: string): string[] {
  return address.split(',').map((endpoint) => endpoint.trim());
}

/** Whether every endpoint of an address is a well-formed `host:port`. */
export function isStageAddress(address: string): boolean {
  return stageEndpoints(address).every((endpoint) => ENDPOINT.test(endpoint));
}

/** Host and port of one endpoint, brackets removed from an IPv6 host. */
export function splitEndpoint(endpoint: string): { host: string; port: number } {
  const colon = endpoint.lastIndexOf(':');
  return { host: endpoint.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(endpoint.slice(colon + 1)) };
}
