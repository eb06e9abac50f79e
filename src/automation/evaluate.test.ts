import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compileRule, evaluateRules, type Rule, type RuleContext } from './evaluate.ts';
import { describeNextOpening, isOpenAt, nextOpening, type BusinessHours } from './business-hours.ts';
import { pickVariant, renderTemplate } from './templates.ts';
import type { Action, Condition, RuleEvent } from './rule-schema.ts';

const test = suite('rule evaluator');

const HOURS: BusinessHours = { week: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '13:00'], ['14:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']], sat: [['10:00', '14:00']] }, holidays: ['2026-12-16'], outOfHoursTemplate: null };
const ctx = (over: Partial<RuleContext> = {}): RuleContext => ({
  text: '', language: 'ru', channel: { id: 'ch1', kind: 'whatsapp' }, tags: [], aiState: 'active', status: 'open', hours: HOURS, timezone: 'Asia/Almaty', ...over,
});
let n = 0;
const rule = (conditions: Condition[], actions: Action[] = [{ type: 'add_tag', tag: 'x' }], event: RuleEvent = 'message.received', extra: Partial<Rule> = {}): Rule =>
  compileRule({ id: `r${++n}`, name: `rule ${n}`, enabled: true, trigger: { event }, conditions, actions, ...extra });
// 2026-12-07 is a Monday; Almaty is UTC+5 all year (no daylight saving).
const MON_NOON = new Date('2026-12-07T07:00:00Z');

const matches = (c: Condition, over: Partial<RuleContext>, now = MON_NOON) => evaluateRules([rule([c])], { type: 'message.received' }, ctx(over), now).matched.length === 1;

test('each condition, matching and not', () => {
  const table: Array<[string, Condition, Partial<RuleContext>, boolean]> = [
    ['contains: a word form', { type: 'text_contains', value: 'доставка' }, { text: 'Сколько стоит доставку в Алматы?' }, true],
    ['contains: instrumental form', { type: 'text_contains', value: 'доставка' }, { text: 'а с доставкой можно' }, true],
    ['contains: another word', { type: 'text_contains', value: 'доставка' }, { text: 'самовывоз есть?' }, false],
    ['contains: Kazakh suffix', { type: 'text_contains', value: 'оператор' }, { text: 'операторға қосыңыз' }, true],
    ['contains: punctuation as written', { type: 'text_contains', value: '???' }, { text: 'ну???' }, true],
    ['equals: ignoring case and spaces', { type: 'text_equals', value: 'Привет' }, { text: '  привет ' }, true],
    ['equals: not a part', { type: 'text_equals', value: 'привет' }, { text: 'привет всем' }, false],
    ['regex', { type: 'text_matches', value: '^\\d{6}$' }, { text: '123456' }, true],
    ['regex: case-insensitive', { type: 'text_matches', value: 'order #\\d+' }, { text: 'ORDER #12' }, true],
    ['regex: no', { type: 'text_matches', value: '^\\d{6}$' }, { text: '12345' }, false],
    ['language', { type: 'language', value: 'kk' }, { text: 'Сәлем', language: 'kk' }, true],
    ['language: other', { type: 'language', value: 'kk' }, { text: 'Hello', language: 'en' }, false],
    ['channel by kind', { type: 'channel', value: 'whatsapp' }, {}, true],
    ['channel by id', { type: 'channel', value: 'ch1' }, {}, true],
    ['channel: other', { type: 'channel', value: 'instagram' }, {}, false],
    ['tag', { type: 'contact_tag', value: 'VIP' }, { tags: ['vip'] }, true],
    ['tag: missing', { type: 'contact_tag', value: 'vip' }, { tags: ['new'] }, false],
    ['open at Monday noon', { type: 'business_hours', value: 'open' }, {}, true],
    ['closed at Monday noon', { type: 'business_hours', value: 'closed' }, {}, false],
    ['ai state', { type: 'ai_state', value: 'paused' }, { aiState: 'paused' }, true],
    ['ai state: other', { type: 'ai_state', value: 'paused' }, {}, false],
    ['status', { type: 'conversation_status', value: 'pending' }, { status: 'pending' }, true],
    ['status: other', { type: 'conversation_status', value: 'resolved' }, {}, false],
  ];
  for (const [name, c, over, want] of table) assert.is(matches(c, over), want, name);
});

test('business hours around midnight, lunch breaks and holidays, in the client’s zone', () => {
  const at = (iso: string) => isOpenAt(HOURS, 'Asia/Almaty', new Date(iso));
  const table: Array<[string, string, boolean]> = [
    ['Mon 08:59 Almaty', '2026-12-07T03:59:00Z', false],
    ['Mon 09:00 Almaty', '2026-12-07T04:00:00Z', true],
    ['Mon 17:59 Almaty', '2026-12-07T12:59:00Z', true],
    ['Mon 18:00 Almaty', '2026-12-07T13:00:00Z', false],
    ['Wed lunch 13:30', '2026-12-09T08:30:00Z', false],
    ['Wed 14:00', '2026-12-09T09:00:00Z', true],
    // 23:30 UTC Sunday is 04:30 Monday in Almaty: closed; 04:30 UTC Monday is 09:30 Monday: open.
    ['Sun 23:30 UTC = Mon 04:30 Almaty', '2026-12-06T23:30:00Z', false],
    ['Sat 19:30 UTC = Sun 00:30 Almaty (Sunday closed)', '2026-12-12T19:30:00Z', false],
    ['Fri 20:00 UTC = Sat 01:00 Almaty', '2026-12-11T20:00:00Z', false],
    ['Sat 05:00 UTC = Sat 10:00 Almaty', '2026-12-12T05:00:00Z', true],
    ['holiday Wed 16 Dec 11:00', '2026-12-16T06:00:00Z', false],
  ];
  for (const [name, iso, want] of table) assert.is(at(iso), want, name);
  // The same instant in another zone is another local time.
  assert.is(isOpenAt(HOURS, 'Europe/London', new Date('2026-12-07T07:00:00Z')), false, '07:00 in London is before opening');
  assert.is(isOpenAt(HOURS, 'Europe/London', new Date('2026-12-07T09:30:00Z')), true);
});

test('next opening skips holidays and closed days; daylight saving zones land on the wall clock', () => {
  // Tue 15 Dec 19:00 Almaty → Wed 16 is a holiday → Thu 17 Dec 09:00 Almaty = 04:00 UTC.
  assert.is(nextOpening(HOURS, 'Asia/Almaty', new Date('2026-12-15T14:00:00Z'))?.toISOString(), '2026-12-17T04:00:00.000Z');
  // Sat 14:30 Almaty → Sunday closed → Mon 09:00.
  assert.is(nextOpening(HOURS, 'Asia/Almaty', new Date('2026-12-12T09:30:00Z'))?.toISOString(), '2026-12-14T04:00:00.000Z');
  // Europe/Berlin, Saturday 28 March 2026 evening → Monday 30 March 09:00 CEST (UTC+2, after the change) = 07:00 UTC.
  assert.is(nextOpening(HOURS, 'Europe/Berlin', new Date('2026-03-28T19:00:00Z'))?.toISOString(), '2026-03-30T07:00:00.000Z');
  assert.is(nextOpening({ week: {}, holidays: [], outOfHoursTemplate: null }, 'Asia/Almaty', MON_NOON), null);
  assert.match(describeNextOpening(HOURS, 'Asia/Almaty', new Date('2026-12-12T09:30:00Z'), 'ru')!, /понедельник.*09:00/);
  assert.is(describeNextOpening(HOURS, 'Asia/Almaty', MON_NOON, 'en'), 'now');
});

test('rules run in order; stop ends the later ones; disabled rules and other events never match', () => {
  const a = rule([{ type: 'text_contains', value: 'цена' }], [{ type: 'add_tag', tag: 'price' }]);
  const b = rule([], [{ type: 'send_template', code: 'prices' }, { type: 'stop' }, { type: 'add_tag', tag: 'never' }]);
  const c = rule([], [{ type: 'hand_off', reason: 'late' }]);
  const off = rule([], [{ type: 'resolve' }], 'message.received', { enabled: false });
  const other = rule([], [{ type: 'resolve' }], 'conversation.resolved');
  const ev = evaluateRules([off, a, other, b, c], { type: 'message.received' }, ctx({ text: 'какая цена?' }), MON_NOON);
  assert.equal(ev.matched.map((m) => m.rule.name), [a.name, b.name]);
  assert.equal(ev.actions.map((x) => x.type), ['add_tag', 'send_template']);
  assert.ok(ev.stopped);
  const noStop = evaluateRules([c, a], { type: 'message.received' }, ctx({ text: 'цена' }), MON_NOON);
  assert.equal(noStop.actions.map((x) => x.type), ['hand_off', 'add_tag']);
  const all = evaluateRules([rule([{ type: 'text_contains', value: 'цена' }, { type: 'channel', value: 'instagram' }])], { type: 'message.received' }, ctx({ text: 'цена' }), MON_NOON);
  assert.is(all.matched.length, 0, 'every condition must hold');
});

test('business-hours conditions never match a client without hours', () => {
  const none = { week: {}, holidays: [], outOfHoursTemplate: null };
  assert.not.ok(matches({ type: 'business_hours', value: 'closed' }, { hours: none }));
  assert.not.ok(matches({ type: 'business_hours', value: 'open' }, { hours: none }));
});

test('templates: variables filled once, a missing one visible, the contact’s language first', () => {
  assert.is(renderTemplate('Здравствуйте, {{contact.name}}! {{client.name}}', { 'contact.name': 'Алия', 'client.name': 'Алтын' }), 'Здравствуйте, Алия! Алтын');
  assert.is(renderTemplate('Hi {{contact.name}}', {}), 'Hi [contact.name]');
  assert.is(renderTemplate('Hi {{ contact.name | friend }}', { 'contact.name': '' }), 'Hi friend');
  assert.is(renderTemplate('{{contact.name}}', { 'contact.name': '{{client.name}}\u0007' }), '{{client.name}}', 'a value is never expanded again');
  assert.not.match(renderTemplate('{{nope}} {{contact.phone}}', { 'contact.phone': undefined }), /undefined/);
  const t = { code: 'hi', text: { ru: 'Привет', kk: 'Сәлем', en: '' } };
  assert.equal(pickVariant(t, 'kk', 'ru'), { text: 'Сәлем', lang: 'kk' });
  assert.equal(pickVariant(t, 'en', 'ru'), { text: 'Привет', lang: 'ru' }, 'no English: the client’s default');
  assert.equal(pickVariant(t, undefined, 'kk'), { text: 'Сәлем', lang: 'kk' });
});

test.run();
