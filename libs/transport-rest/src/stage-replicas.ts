import { splitEndpoint, stageEndpoints } from '@imagepipeline/config';
import { RoundRobin } from '@imagepipeline/pipeline';
import { lookup } from 'node:dns/promises';
import { isIP, isIPv6 } from 'node:net';

/** Every address a host name resolves to (IPv4 and IPv6); an IP literal resolves to itself. */
export type ResolveHost = (host: string) => Promise<string[]>;

export interface StageReplicasOptions {
  /** Default: the system resolver, `dns.lookup(host, { all: true })`, which reads /etc/hosts too. */
  resolveHost?: ResolveHost;
  /** How long resolved addresses are used before the names are looked up again (default 5 s). */
  refreshMs?: number;
  /** How long a replica that failed is passed over before calls try it again (default 2 s). */
  downForMs?: number;
  /** `https` when the replicas serve TLS (default `http`). */
  scheme?: 'http' | 'https';
}

const lookupAll: ResolveHost = async (host) => (await lookup(host, { all: true })).map((entry) => entry.address);

/**
 * The replicas of one REST stage: every address that the listed endpoints of its address resolve
 * to, as `http://ip:port` (or `https://`) origins (a connection pool per replica), taken in turn.
 * Names are looked up again every `refreshMs`, so replicas added or removed behind a name are found;
 * a lookup that fails keeps the addresses known before. A replica that could not be reached or
 * answered 503 is passed over for `downForMs`, then live calls try it again.
 */
export class StageReplicas {
  private readonly endpoints: { host: string; port: number }[];
  private readonly turns: RoundRobin<string>;
  private readonly downUntil = new Map<string, number>();
  private readonly resolveHost: ResolveHost;
  private readonly refreshMs: number;
  private readonly downForMs: number;
  private readonly scheme: 'http' | 'https';
  /** The host name each resolved origin came from: what its certificate names. */
  private readonly serverNames = new Map<string, string>();
  private resolvedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;

  constructor(address: string, options: StageReplicasOptions = {}) {
    this.endpoints = stageEndpoints(address).map(splitEndpoint);
    this.scheme = options.scheme ?? 'http';
    // Until the first lookup, the endpoints as written: an unknown name then fails as ENOTFOUND.
    this.turns = new RoundRobin(this.endpoints.map(({ host, port }) => this.originOf(host, port)));
    this.resolveHost = options.resolveHost ?? lookupAll;
    this.refreshMs = options.refreshMs ?? 5_000;
    this.downForMs = options.downForMs ?? 2_000;
  }

  /** The origin of the next replica in turn that is not marked down (any, when all are). */
  async pick(): Promise<string> {
    if (Date.now() - this.resolvedAt >= this.refreshMs) {
      await (this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined)));
    }
    const now = Date.now();
    return this.turns.pick((origin) => (this.downUntil.get(origin) ?? 0) <= now);
  }

  /**
   * The name `origin`'s address was resolved from, when it was: over TLS, the replica's certificate
   * is checked against that name, not against the address.
   */
  serverNameOf(origin: string): string | undefined {
    return this.serverNames.get(origin);
  }

  /** Passes over `origin` for a while: it refused a connection, dropped one or answered 503. */
  markDown(origin: string): void {
    this.downUntil.set(origin, Date.now() + this.downForMs);
  }

  private async refresh(): Promise<void> {
    const resolved = await Promise.all(
      this.endpoints.map(({ host, port }) =>
        this.resolveHost(host).then(
          (addresses) =>
            addresses.map((ip) => {
              const origin = this.originOf(ip, port);
              if (!isIP(host)) this.serverNames.set(origin, host);
              return origin;
            }),
          () => [],
        ),
      ),
    );
    this.turns.replace([...new Set(resolved.flat())]);
    this.resolvedAt = Date.now();
  }

  private originOf(host: string, port: number): string {
    return `${this.scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  }
}
