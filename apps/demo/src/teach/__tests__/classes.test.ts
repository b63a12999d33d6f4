import { describe, expect, it } from 'vitest';
import { classProblem } from '../page.js';

const c = (name: string, images = 3) => ({ name, images });

describe('the Teach class list', () => {
  it('takes 2 to 10 distinct, named classes with images', () => {
    expect(classProblem([c('cat'), c('dog')])).toBeUndefined();
    expect(classProblem(Array.from({ length: 10 }, (_, i) => c(`k${i}`)))).toBeUndefined();
  });

  it('names what is wrong', () => {
    expect(classProblem([c('cat')])).toBe('1 classes: expected 2 to 10');
    expect(classProblem(Array.from({ length: 11 }, (_, i) => c(`k${i}`)))).toBe('11 classes: expected 2 to 10');
    expect(classProblem([c('cat'), c('  ')])).toBe('class 2 has no name: expected a name (it becomes the class folder name for convzoo eval)');
    expect(classProblem([c('a/b'), c('dog')])).toBe('class name "a/b": expected a name usable as a folder name (no / or \\)');
    expect(classProblem([c('cat'), c('cat ')])).toBe('class name "cat" is used twice: expected distinct names');
    expect(classProblem([c('cat'), c('dog', 0)])).toBe('class "dog" has no images: expected at least one');
  });
});
