import { describe, expect, it } from 'vitest';
import { startMetricsServer, type MetricsServerOptions } from './metrics-server';
import { ServiceMetrics } from './service-metrics';

const TOKEN = 'a-metrics-token-0123456789';

async function withServer(security: MetricsServerOptions['security'], test: (url: string) => Promise<void>): Promise<void> {
  const metrics = new ServiceMetrics({ service: 'uploader', protocol: 'grpc', processMetrics: false });
  metrics.startCall()('Upload', 'OK');
  const server = await startMetricsServer({ metrics, host: '127.0.0.1', port: 0, service: 'uploader', security, handshakeTimeoutMs: 1_000 });
  try {
    await test(`http://127.0.0.1:${server.port}`);
  } finally {
    await server.close();
  }
}

describe('startMetricsServer', () => {
  it('answers GET /metrics with the scrape, and nothing else', () =>
    withServer({}, async (url) => {
      const response = await fetch(`${url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toMatch(/^pipeline_requests_total\{method="Upload",code="OK",service="uploader",protocol="grpc"\} 1$/m);
      expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
      const other = await fetch(`${url}/healthz`);
      expect(other.status).toBe(404);
      expect(await other.json()).toMatchObject({ error: 'NOT_FOUND' });
    }));

  it("requires the service's bearer token when it has one", () =>
    withServer({ token: TOKEN }, async (url) => {
      const missing = await fetch(`${url}/metrics`);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="uploader"');
      expect(await missing.json()).toMatchObject({ error: 'UNAUTHENTICATED' });
      expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer another-token-0123456789' } })).status).toBe(403);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    }));

  it('fails to start on a port already taken', () =>
    withServer({}, async (url) => {
      const metrics = new ServiceMetrics({ service: 'uploader', protocol: 'grpc', processMetrics: false });
      const port = Number(new URL(url).port);
      await expect(startMetricsServer({ metrics, host: '127.0.0.1', port, service: 'uploader', security: {}, handshakeTimeoutMs: 1_000 })).rejects.toThrow(/EADDRINUSE/);
    }));
});
