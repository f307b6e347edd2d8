import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import * as contracts from '@imagepipeline/contracts';
import { describe, expect, it } from 'vitest';

/** The JSON field names of every message in pipeline.proto, from its compiled descriptor. */
function protoJsonFields(): Map<string, string[]> {
  const set = fromBinary(FileDescriptorSetSchema, Buffer.from(contracts.PIPELINE_DESCRIPTOR_SET_BASE64, 'base64'));
  const messages = new Map<string, string[]>();
  for (const file of set.file) {
    for (const message of file.messageType) {
      messages.set(message.name, message.field.map((field) => field.jsonName || field.name));
    }
  }
  return messages;
}

/** Which REST JSON schema mirrors which proto message. */
const MIRRORS: [schema: keyof typeof contracts, message: string][] = [
  ['imageJsonSchema', 'Image'],
  ['imageInputJsonSchema', 'Image'],
  ['predictionJsonSchema', 'Prediction'],
  ['stageSpanJsonSchema', 'StageSpan'],
  ['uploadRequestJsonSchema', 'UploadRequest'],
  ['uploadResponseJsonSchema', 'UploadResponse'],
  ['reduceNoiseRequestJsonSchema', 'ReduceNoiseRequest'],
  ['reduceNoiseResponseJsonSchema', 'ReduceNoiseResponse'],
  ['removeBackgroundRequestJsonSchema', 'RemoveBackgroundRequest'],
  ['removeBackgroundResponseJsonSchema', 'RemoveBackgroundResponse'],
  ['classifyRequestJsonSchema', 'ClassifyRequest'],
  ['classifyResponseJsonSchema', 'ClassifyResponse'],
  ['processRequestJsonSchema', 'ProcessRequest'],
  ['processResultJsonSchema', 'ProcessResult'],
];

describe('REST JSON schemas', () => {
  const fields = protoJsonFields();

  it.each(MIRRORS)('%s mirrors %s field for field', (schema, message) => {
    const properties = Object.keys((contracts[schema] as { properties: object }).properties);
    expect(properties.sort()).toEqual([...(fields.get(message) ?? ['<no such message>'])].sort());
  });

  it('lets the query string carry every request option but the image', () => {
    const optionsOf = (message: string) => (fields.get(message) ?? []).filter((name) => name !== 'image');
    const query = (schema: { properties: object }) => Object.keys(schema.properties).filter((name) => name !== 'fileName');
    expect(query(contracts.reduceNoiseQueryJsonSchema)).toEqual(optionsOf('ReduceNoiseRequest'));
    expect(query(contracts.classifyQueryJsonSchema)).toEqual(optionsOf('ClassifyRequest'));
    expect(query(contracts.processQueryJsonSchema)).toEqual(optionsOf('ProcessRequest'));
  });
});
