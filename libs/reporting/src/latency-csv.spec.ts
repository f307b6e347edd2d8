import { describe, expect, it } from 'vitest';
import { csvField, formatLatencyCsv } from './latency-csv';
import { parseCsv } from './testing';

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rlf', '"cr\rlf"'],
    [' padded', '" padded"'],
  ])('%j → %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });
});

describe('formatLatencyCsv', () => {
  it('round-trips awkward names through an RFC 4180 parser', () => {
    const image = 'a "b",\r\nc';
    const csv = formatLatencyCsv([
      { imageIndex: 0, image, stage: 'upload', startS: 0.0004, endS: 0.0123456, observedMs: 12.3456, computeMs: 10, transportMs: 2.3456, queueMs: 0, status: 'ok' },
    ]);
    const [, row] = parseCsv(csv);
    expect(row).toEqual([image, 'upload', '0', '0.012', '12.346', '10', '2.346', '0', 'ok']);
  });
});
