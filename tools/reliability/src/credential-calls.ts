// One call with given credentials to the orchestrator or the classifier, and what the protocol
// answered. Through the product's clients, except a REST call that is meant to be refused: that one
// goes over bare node:https (node:http without a CA), because the product's REST clients keep only
// the pipeline code of a 401 or 403 and fold every failed handshake into STAGE_UNAVAILABLE.
import http from 'node:http';
import https from 'node:https';
import { status, type ServiceError } from '@grpc/grpc-js';
import type { ClientSecurity, Protocol } from '@imagepipeline/config';
import { ClassifierServiceService, OrchestratorServiceService, PipelineError, REST_ROUTES, type Image } from '@imagepipeline/contracts';
import { GrpcOrchestratorClient, GrpcStageClient } from '@imagepipeline/transport-grpc';
import { RestOrchestratorClient, RestStageClient } from '@imagepipeline/transport-rest';

/** Where the credential cases are sent: the orchestrator and one stage. */
export type CredentialTarget = 'orchestrator' | 'classifier';

/** The route (REST) or method (gRPC) each target is called on: the one the product's client uses. */
export const TARGET_CALL: Record<CredentialTarget, Record<Protocol, string>> = {
  orchestrator: { grpc: OrchestratorServiceService.processStream.path, rest: `POST ${REST_ROUTES.jobs}` },
  classifier: { grpc: ClassifierServiceService.classify.path, rest: `POST ${REST_ROUTES.classify}` },
};

/**
 * What came back. `answer` is the protocol's own: `OK` or an HTTP status on success; a gRPC status
 * with the pipeline code the server sent; an HTTP status with its pipeline code; or how the TLS
 * connection ended. `detail` is the message or what was processed.
 */
export interface CallAnswer {
  ok: boolean;
  answer: string;
  detail: string;
  /** The processed image (orchestrator) and the label, on success. */
  processed?: Image;
  label?: string;
}

const CALL_TIMEOUT_MS = 60_000;

/** Sends `image` to `target` at `address` through the product's client of `protocol`, with `security`. */
export async function callThroughClient(
  protocol: Protocol,
  target: CredentialTarget,
  address: string,
  security: ClientSecurity,
  image: Image,
): Promise<CallAnswer> {
  try {
    if (target === 'classifier') {
      // Every stage at the classifier's address: only `classify` is called. No retries: one answer per case.
      const addresses = { uploader: address, 'noise-reducer': address, 'background-remover': address, classifier: address };
      const stages = protocol === 'grpc' ? new GrpcStageClient({ addresses, security, retries: 0 }) : new RestStageClient({ addresses, security, retries: 0 });
      try {
        const { label } = await stages.classify(image, 3, AbortSignal.timeout(CALL_TIMEOUT_MS));
        return { ok: true, answer: 'OK', detail: `label "${label}"`, label };
      } finally {
        await stages.close();
      }
    }
    const options = { security, timeoutMs: CALL_TIMEOUT_MS };
    const orchestrator = protocol === 'grpc' ? new GrpcOrchestratorClient(address, options) : new RestOrchestratorClient(address, options);
    try {
      const { processedImage, label } = await orchestrator.process(image, { topK: 3, includeIntermediates: false });
      return { ok: true, answer: 'OK', detail: `processed, label "${label}"`, processed: processedImage, label };
    } finally {
      await orchestrator.close();
    }
  } catch (error) {
    return clientFailure(error);
  }
}

/** A product client's failure: the gRPC status and the pipeline code the server sent behind it, or the pipeline code alone. */
function clientFailure(error: unknown): CallAnswer {
  const cause = (error as { cause?: Partial<ServiceError> }).cause;
  if (typeof cause?.code === 'number') {
    const sentCode = cause.metadata?.get('pipeline-error-code')[0]?.toString();
    return { ok: false, answer: [status[cause.code], sentCode].filter(Boolean).join(' '), detail: cause.details ?? '' };
  }
  if (error instanceof PipelineError) return { ok: false, answer: `client error ${error.code}`, detail: error.message };
  return { ok: false, answer: 'client error', detail: String(error) };
}

/** How a REST call whose connection failed ended: the alert OpenSSL raised, or the server closing it. */
function connectionEnd(error: NodeJS.ErrnoException): string {
  if (error.code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED') return 'TLS alert: certificate required';
  if (error.code === 'ECONNRESET') return 'connection closed';
  return `connection error ${error.code ?? ''}`.trim();
}

/** POSTs `image` to the target's REST route on a connection of its own, with `security`, and reads the answer. */
export function callRestDirectly(target: CredentialTarget, address: string, security: ClientSecurity, image: Image): Promise<CallAnswer> {
  const { ca, cert, key, token } = security;
  const route = TARGET_CALL[target].rest.slice('POST '.length);
  const headers = { 'content-type': 'application/octet-stream', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) };
  const options = { method: 'POST', headers, agent: false, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) } as const;
  return new Promise((resolve) => {
    const onAnswer = (response: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = parseJson(Buffer.concat(chunks).toString('utf8'));
        const code = typeof body.error === 'string' ? body.error : '';
        resolve({ ok: (response.statusCode ?? 0) < 400, answer: `${response.statusCode} ${code}`.trim(), detail: String(body.message ?? '') });
      });
    };
    const request = ca
      ? https.request(`https://${address}${route}`, { ...options, ca, cert, key }, onAnswer)
      : http.request(`http://${address}${route}`, options, onAnswer);
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, answer: connectionEnd(error), detail: `${error.code}: ${error.message}` }));
    request.end(image.data);
  });
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
