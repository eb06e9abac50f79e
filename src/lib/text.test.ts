import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { charLength, truncateChars } from './text.ts';

const test = suite('charLength');

test('counts characters (code points), not UTF-16 units: an emoji is one, a lone surrogate is one', () => {
  assert.is(charLength(''), 0);
  assert.is(charLength('Сәлем'), 5);
  assert.is(charLength('😀'.repeat(2049)), 2049);
  assert.is(charLength('a😀b'), 3);
  assert.is(charLength('\ud83d'), 1);
  assert.is(charLength('\ude00x'), 2);
});

test('truncateChars keeps whole characters', () => {
  assert.is(truncateChars('😀'.repeat(300), 200), '😀'.repeat(200));
  assert.is(truncateChars('abc', 2), 'ab');
  assert.is(truncateChars('ab😀', 3), 'ab😀');
});

test.run();
