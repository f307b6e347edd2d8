import { describe, expect, it } from 'vitest';
import { assignOutputStems, safeFileStem } from './output-names';

describe('safeFileStem', () => {
  it.each([
    ['cat.jpg', 'cat'],
    ['photos/2024/dog.PNG', 'dog'],
    ['C:\\Users\\me\\bird.jpeg', 'bird'],
    ['fox, "red".jpeg', 'fox_red_'],
    ['../../etc/passwd', 'passwd'],
    ['..', 'image'],
    ['.hidden.png', 'hidden'],
    ['archive.tar.gz', 'archive.tar'],
    ['Ünïcödé 猫.webp', 'Ünïcödé_猫'],
    ['con.jpg', '_con'],
    ['', 'image'],
    ['noextension', 'noextension'],
  ])('%j → %j', (input, expected) => {
    expect(safeFileStem(input)).toBe(expected);
  });

  it('caps the length', () => {
    expect(safeFileStem(`${'a'.repeat(500)}.png`)).toHaveLength(120);
  });
});

describe('assignOutputStems', () => {
  it('keeps stems unique, ignoring case', () => {
    expect(assignOutputStems(['cat.jpg', 'Cat.png', 'cat.webp', 'dog.jpg'])).toEqual(['cat', 'Cat-2', 'cat-3', 'dog']);
  });
});
