// The pipeline client: send a folder of images through the orchestrator and write the results.
import { parseClientOptions, readClientSecurity, runPipelineClient, USAGE, UsageError, type ClientOptions } from '@imagepipeline/client';
import { GrpcOrchestratorClient } from '@imagepipeline/transport-grpc';
import { RestOrchestratorClient } from '@imagepipeline/transport-rest';

function parseOrExit(): ClientOptions {
  try {
    return parseClientOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
}

const options = parseOrExit();
if (options.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const security = await readClientSecurity(options.security).catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
});
const client =
  options.protocol === 'grpc'
    ? new GrpcOrchestratorClient(options.orchestrator, { security })
    : new RestOrchestratorClient(options.orchestrator, { security });
try {
  const { exitCode } = await runPipelineClient(options, client, { stdout: process.stdout, stderr: process.stderr });
  process.exitCode = exitCode;
} catch (error) {
  process.stderr.write(`pipeline: ${(error as Error).message}\n`);
  process.exitCode = 2;
} finally {
  await client.close();
}
