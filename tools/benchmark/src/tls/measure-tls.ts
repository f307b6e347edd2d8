import type { Protocol } from '@imagepipeline/config';
import type { StageClient } from '@imagepipeline/pipeline';
import { rawPixelsPayload, type Payload } from '../payloads';
import { readCpuMs } from '../process-usage';
import { echoClient, type SecuredEcho } from './echo-stages';
import { KEPT_ALIVE_SETTINGS, SECURITY_SETTINGS, TLS_PROTOCOLS, type HandshakeSample, type KeptAliveSample, type SecuritySetting } from './samples';

const CALL_TIMEOUT_MS = 60_000;

/** The handshake samples' image: 12×9 raw pixels, so the call itself costs next to nothing. */
const TINY = rawPixelsPayload(0.0001);

export interface TlsPlan {
  echoes: readonly SecuredEcho[];
  warmups: number;
  log: (line: string) => void;
}

/** `settings` rotated by `rep`, so each goes first as often as the others. */
function rotated<T>(settings: readonly T[], rep: number): T[] {
  const shift = ((rep % settings.length) + settings.length) % settings.length;
  return [...settings.slice(shift), ...settings.slice(0, shift)];
}

const echoOf = (echoes: readonly SecuredEcho[], protocol: Protocol, security: SecuritySetting) =>
  echoes.find((echo) => echo.protocol === protocol && echo.security === security)!;

async function timedUpload(client: StageClient, payload: Payload): Promise<number> {
  const start = performance.now();
  await client.upload(payload.image, AbortSignal.timeout(CALL_TIMEOUT_MS));
  return performance.now() - start;
}

/**
 * Each payload through each protocol, plain and mutual TLS + token, one client each whose
 * connection stays open; per repetition the settings take turns going first.
 */
export async function measureKeptAlive(plan: TlsPlan, payloads: readonly Payload[], repetitions: number): Promise<KeptAliveSample[]> {
  const clients = new Map(plan.echoes.filter((echo) => KEPT_ALIVE_SETTINGS.includes(echo.security)).map((echo) => [echo, echoClient(echo)]));
  const samples: KeptAliveSample[] = [];
  try {
    // One payload at a time, so a large one's garbage and memory churn does not fall on a small one's calls.
    for (const payload of payloads) {
      for (let rep = -plan.warmups; rep < repetitions; rep++) {
        for (const protocol of TLS_PROTOCOLS) {
          for (const security of rotated(KEPT_ALIVE_SETTINGS, rep)) {
            const echo = echoOf(plan.echoes, protocol, security);
            const sample = await callKeptAlive(clients.get(echo)!, echo, payload, rep);
            if (rep >= 0) samples.push(sample);
          }
        }
      }
    }
  } finally {
    await Promise.all([...clients.values()].map((client) => client.close()));
  }
  plan.log(`  kept alive: ${samples.length} calls, ${samples.filter((s) => s.error).length} failed`);
  return samples;
}

async function callKeptAlive(client: StageClient, echo: SecuredEcho, payload: Payload, rep: number): Promise<KeptAliveSample> {
  const sample: KeptAliveSample = {
    protocol: echo.protocol, security: echo.security, payload: payload.name, megapixels: payload.megapixels, payloadBytes: payload.bytes, rep, ms: Number.NaN, clientCpuMs: Number.NaN, serverCpuMs: Number.NaN,
  };
  const pid = echo.service.process.pid ?? 0;
  try {
    const serverCpu = await readCpuMs(pid);
    const clientCpu = process.cpuUsage();
    sample.ms = await timedUpload(client, payload);
    const clientCpuUsed = process.cpuUsage(clientCpu);
    sample.clientCpuMs = (clientCpuUsed.user + clientCpuUsed.system) / 1000;
    sample.serverCpuMs = (await readCpuMs(pid)) - serverCpu;
  } catch (error) {
    sample.error = (error as Error).message;
  }
  return sample;
}

/**
 * Per repetition and protocol, for each setting in turn: a new client, two tiny calls (the first
 * opens the connection with a full handshake, the second reuses it), then the client is closed.
 */
export async function measureHandshakes(plan: TlsPlan, handshakes: number): Promise<HandshakeSample[]> {
  const samples: HandshakeSample[] = [];
  for (let rep = -plan.warmups; rep < handshakes; rep++) {
    for (const protocol of TLS_PROTOCOLS) {
      for (const security of rotated(SECURITY_SETTINGS, rep)) {
        const sample: HandshakeSample = { protocol, security, rep, firstMs: Number.NaN, secondMs: Number.NaN };
        const client = echoClient(echoOf(plan.echoes, protocol, security));
        try {
          sample.firstMs = await timedUpload(client, TINY);
          sample.secondMs = await timedUpload(client, TINY);
        } catch (error) {
          sample.error = (error as Error).message;
        } finally {
          await client.close();
        }
        if (rep >= 0) samples.push(sample);
      }
    }
  }
  plan.log(`  handshakes: ${samples.length} new connections, ${samples.filter((s) => s.error).length} failed`);
  return samples;
}
