import { describe, expect, it } from 'vitest';
import { IMAGENET_LABELS, imagenetLabel } from './index';

describe('ImageNet labels', () => {
  it('holds 1000 full labels in class order', () => {
    expect(IMAGENET_LABELS).toHaveLength(1000);
    expect(IMAGENET_LABELS[14]).toBe('indigo bunting, indigo finch, indigo bird, Passerina cyanea');
    expect(Object.isFrozen(IMAGENET_LABELS)).toBe(true);
  });

  it.each([
    [8, 'hen'],
    [14, 'indigo bunting'],
    [207, 'golden retriever'],
    [277, 'red fox'],
    [291, 'lion'],
    [292, 'tiger'],
  ])('shows class %i as %s', (classIndex, label) => {
    expect(imagenetLabel(classIndex)).toBe(label);
  });

  it('has no label outside 0..999', () => {
    expect(imagenetLabel(-1)).toBeUndefined();
    expect(imagenetLabel(1000)).toBeUndefined();
    expect(imagenetLabel(1.5)).toBeUndefined();
  });
});
