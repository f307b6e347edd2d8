import { describe, expect, it } from 'vitest';
import { parseClientOptions, UsageError } from './cli-options';

describe('parseClientOptions', () => {
  it('defaults to gRPC on the local topology with the samples', () => {
    expect(parseClientOptions([])).toEqual({
      protocol: 'grpc',
      topology: 'local',
      inputs: ['samples'],
      concurrency: 8,
      orchestrator: '127.0.0.1:50030',
      out: 'results',
      topK: 5,
      json: false,
      security: {},
      help: false,
    });
  });

  it('takes the TLS and token files, and refuses a client certificate without its key or without a CA', () => {
    expect(parseClientOptions(['--tls-ca', 'ca.pem', '--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--token-file', 't']).security).toEqual({
      ca: 'ca.pem',
      cert: 'c.pem',
      key: 'k.pem',
      token: 't',
    });
    expect(() => parseClientOptions(['--tls-ca', 'ca.pem', '--tls-cert', 'c.pem'])).toThrow('--tls-cert and --tls-key go together');
    expect(() => parseClientOptions(['--tls-cert', 'c.pem', '--tls-key', 'k.pem'])).toThrow('--tls-cert needs --tls-ca');
  });

  it('picks the REST orchestrator port for --protocol rest and takes every option', () => {
    const options = parseClientOptions([
      '--protocol', 'rest', '--topology', 'distributed', '--input', 'a', '--input', 'b.png',
      '--concurrency', '3', '--out', 'o', '--top-k', '2', '--json',
    ]);
    expect(options).toMatchObject({
      protocol: 'rest',
      topology: 'distributed',
      inputs: ['a', 'b.png'],
      concurrency: 3,
      orchestrator: '127.0.0.1:50051',
      out: 'o',
      topK: 2,
      json: true,
    });
  });

  it.each([
    [['--protocol', 'soap'], /--protocol must be one of grpc, rest, got "soap"/],
    [['--concurrency', '0'], /--concurrency must be an integer from 1 to 256/],
    [['--top-k', 'x'], /--top-k must be an integer/],
    [['--orchestrator', 'nohost'], /--orchestrator must be host:port/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('rejects %j with a message naming the option', (argv, message) => {
    expect(() => parseClientOptions(argv)).toThrow(UsageError);
    expect(() => parseClientOptions(argv)).toThrow(message);
  });
});
