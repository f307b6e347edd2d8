import { PipelineErrorCode, type ProcessRequest } from '@imagepipeline/contracts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOP_K, sanitizeFileName, validateProcessRequest } from './process-request';

const image = (fileName = 'a.png', data: Uint8Array = Buffer.from('x')) =>
  ({ data, format: 'png', width: 1, height: 1, fileName }) as ProcessRequest['image'];

describe('sanitizeFileName', () => {
  it.each([
    ['photo.jpg', 'photo.jpg'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\cat 1.png', 'cat_1.png'],
    ['..', 'image'],
    ['.hidden', 'hidden'],
    ['', 'image'],
    [undefined, 'image'],
    ['a/b/', 'image'],
    ['ünïcødé ñame.webp', 'ünïcødé_ñame.webp'],
    ['evil\u0000name\n.png', 'evil_name_.png'],
    ['nul.txt', '_nul.txt'],
    ['CON', '_CON'],
  ])('%j → %j', (given, expected) => {
    expect(sanitizeFileName(given)).toBe(expected);
  });

  it('shortens long names to 200 characters, keeping the extension', () => {
    const safe = sanitizeFileName(`${'a'.repeat(500)}.jpeg`);
    expect(safe).toHaveLength(200);
    expect(safe.endsWith('a.jpeg')).toBe(true);
  });
});

describe('validateProcessRequest', () => {
  it('fills in topK, sanitises the file name and keeps the bytes', () => {
    const valid = validateProcessRequest({ image: image('x/y.png'), topK: 0, includeIntermediates: true });
    expect(valid).toMatchObject({ topK: DEFAULT_TOP_K, includeIntermediates: true });
    expect(valid.image.fileName).toBe('y.png');
    expect(valid.image.data.toString()).toBe('x');
  });

  it('accepts a plain Uint8Array and hands on a Buffer', () => {
    const valid = validateProcessRequest({ image: image('a', new Uint8Array([1, 2])), topK: 7, includeIntermediates: false });
    expect(Buffer.isBuffer(valid.image.data)).toBe(true);
    expect([...valid.image.data]).toEqual([1, 2]);
    expect(valid.topK).toBe(7);
  });

  it.each([
    [undefined, /^request: expected an object, got undefined$/],
    [{ image: undefined, topK: 0, includeIntermediates: false }, /^image: expected an image, got undefined$/],
    [{ image: image('a', Buffer.alloc(0)), topK: 0, includeIntermediates: false }, /^image.data: expected at least one byte, got 0 bytes$/],
    [{ image: { ...image(), data: 'abc' }, topK: 0, includeIntermediates: false }, /^image.data: expected bytes, got abc$/],
    [{ image: image(), topK: 1001, includeIntermediates: false }, /^topK: expected an integer from 0 to 1000, got 1001$/],
    [{ image: image(), topK: -1, includeIntermediates: false }, /topK/],
    [{ image: image(), topK: 1.5, includeIntermediates: false }, /topK/],
  ])('refuses %j with INVALID_ARGUMENT', (request, message) => {
    expect(() => validateProcessRequest(request as ProcessRequest)).toThrow(
      expect.objectContaining({ code: PipelineErrorCode.INVALID_ARGUMENT, message: expect.stringMatching(message) }),
    );
  });
});
