import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { splitForChannel, toChatwootMarkdown, toMessengerMarks } from './format.ts';

const test = suite('formatting between Chatwoot and the messengers');

test('an agent’s Markdown reaches WhatsApp as its own marks', () => {
  assert.is(toMessengerMarks('**Bold**, *italic*, ~~gone~~ and `code`'), '*Bold*, _italic_, ~gone~ and ```code```');
  assert.is(toMessengerMarks('See [the price list](https://shop.example.kz/prices)'), 'See the price list (https://shop.example.kz/prices)');
  assert.is(toMessengerMarks('## Opening hours\nMon–Fri'), '*Opening hours*\nMon–Fri');
  assert.is(toMessengerMarks('```\n**not bold in code**\n```'), '```\n**not bold in code**\n```');
  assert.is(toMessengerMarks('2 * 3 * 4 = 24'), '2 * 3 * 4 = 24', 'a lone star is arithmetic, not emphasis');
});

test('a customer’s WhatsApp marks show as Markdown in Chatwoot', () => {
  assert.is(toChatwootMarkdown('I want the *blue* one, ~not~ red'), 'I want the **blue** one, ~~not~~ red');
  assert.is(toChatwootMarkdown('price*2'), 'price*2');
});

test('a reply longer than the channel takes is split at a break, each part within the limit, nothing lost', () => {
  const text = `${'Слово '.repeat(300)}end`;
  const parts = splitForChannel(text, 1000);
  assert.ok(parts.length > 1);
  assert.ok(parts.every((p) => [...p].length <= 1000));
  assert.is(parts.join(' ').replace(/\s+/g, ' '), text.replace(/\s+/g, ' '));
  assert.equal(splitForChannel('short', 1000), ['short']);
  assert.equal(splitForChannel('😀'.repeat(5), 2), ['😀😀', '😀😀', '😀'], 'counted in characters, not UTF-16 units');
});

test.run();
