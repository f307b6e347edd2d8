// A stage that accepts requests and never answers: a grpc-js server whose handler never calls
// back, or an HTTP server that reads the request and never replies.
import { createServer, type Server as HttpServer } from 'node:http';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { BackgroundRemoverServiceService } from '@imagepipeline/contracts';
import type { Protocol } from '@imagepipeline/config';

export interface HangingStage {
  /** Requests it has received (and never answered). */
  received(): number;
  close(): Promise<void>;
}

export async function startHangingStage(protocol: Protocol, port: number): Promise<HangingStage> {
  let received = 0;
  if (protocol === 'grpc') {
    const server = new Server({ 'grpc.max_receive_message_length': 256 * 1024 * 1024 });
    server.addService(BackgroundRemoverServiceService, {
      removeBackground: () => {
        received += 1; // and never call back
      },
    });
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error) => (error ? reject(error) : resolve())),
    );
    return { received: () => received, close: async () => server.forceShutdown() };
  }
  const server: HttpServer = createServer((request) => {
    received += 1;
    request.resume(); // read the body, never reply
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
