import { tokenFromFile, TOKEN_FILE_RULE, type ClientSecurity } from '@imagepipeline/config';
import { readFile } from 'node:fs/promises';
import { UsageError } from './cli-options';

/** The files the client's TLS and token flags name (`--tls-ca`, `--tls-cert`, `--tls-key`, `--token-file`). */
export interface SecurityFiles {
  ca?: string;
  cert?: string;
  key?: string;
  token?: string;
}

/** Reads the files into what the orchestrator clients take; a file that cannot be read is a UsageError naming its flag. */
export async function readClientSecurity(files: SecurityFiles): Promise<ClientSecurity> {
  const read = async (flag: string, path: string | undefined) => {
    if (path === undefined) return undefined;
    return readFile(path).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`${flag}: cannot read "${path}" (${error.code ?? error.message})`);
    });
  };
  const [ca, cert, key, tokenFile] = await Promise.all([
    read('--tls-ca', files.ca),
    read('--tls-cert', files.cert),
    read('--tls-key', files.key),
    read('--token-file', files.token),
  ]);
  const token = tokenFile && tokenFromFile(tokenFile);
  if (tokenFile && !token) throw new UsageError(`--token-file: expected ${TOKEN_FILE_RULE}`);
  return { ca, cert, key, token };
}
