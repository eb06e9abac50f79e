import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { checkPasswordStrength, generatePassword, passwordStrength } from './index.ts';
import { isAppError } from '../lib/errors.ts';
import { runHabarInProcess } from '../testing/cli.ts';
import { makeTestApp } from '../testing/test-app.ts';

const test = suite('password strength');

const refusal = (password: string, inputs: string[] = []) => {
  try {
    checkPasswordStrength(password, 'password', inputs);
    return undefined;
  } catch (err) {
    if (!isAppError(err)) throw err;
    return err;
  }
};

test('common and guessable passwords are refused, Russian and Kazakh ones and ЙЦУКЕН keyboard rows included', () => {
  for (const weak of ['password123', 'Password2024!', 'qwerty12345', 'пароль2024', 'Пароль12345', 'йцукен12345', 'йцукенгшщз', 'фывапролдж', 'qazaqstan2024', 'алматы2024', 'махаббат123', 'gfhjkm2024', '1234567890', 'aaaaaaaaaaaa']) {
    const err = refusal(weak);
    assert.ok(err, `${weak} is refused`);
    assert.is(err!.code, 'password_too_weak', weak);
    assert.is(err!.field, 'password');
    assert.match(err!.message, /too easy to guess/);
  }
  const common = refusal('password123')!;
  assert.is(common.params?.warning, 'common', 'the feedback names why');
  assert.match(common.message, /commonly used password/);
  assert.is(refusal('aigerim nurlanova'), undefined);
  assert.is(refusal('aigerim nurlanova', ['aigerim.nurlanova@example.kz', 'Aigerim Nurlanova'])?.params?.warning, 'userInputs', 'the account’s own e-mail and name count as known');
});

test('strong passwords pass: several uncommon words, and every generated one-time password', () => {
  for (const strong of ['correct horse battery', 'steppe eagle 2026', 'тёплый ветер над степью', 'rainbow-tiger-42-jump']) assert.is(refusal(strong), undefined, strong);
  for (let i = 0; i < 200; i++) {
    const p = generatePassword();
    assert.is(refusal(p), undefined, p);
  }
});

test('a check takes milliseconds once the dictionaries are ranked (done once per process)', () => {
  passwordStrength('warm up');
  const started = performance.now();
  for (let i = 0; i < 20; i++) passwordStrength(i % 2 ? generatePassword() : `steppe eagle ${i} over the river`);
  const each = (performance.now() - started) / 20;
  assert.ok(each < 100, `${each.toFixed(1)} ms a check`);
  const long = performance.now();
  passwordStrength('x'.repeat(200));
  assert.ok(performance.now() - long < 500, 'the longest allowed password is bounded too');
});

test('the CLI refuses a weak --password-stdin with the reason, and creates nobody', async () => {
  const app = await makeTestApp();
  await app.close();
  try {
    const weak = await runHabarInProcess(['user', 'create', '--data-dir', app.dir, '--email', 'w@example.kz', '--role', 'admin', '--password-stdin'], { stdin: 'password123' });
    assert.is(weak.code, 1);
    assert.match(weak.stderr, /too easy to guess\. This is a commonly used password/);
    const ok = await runHabarInProcess(['user', 'create', '--data-dir', app.dir, '--email', 'w@example.kz', '--role', 'admin', '--password-stdin'], { stdin: 'steppe eagle 2026' });
    assert.is(ok.code, 0, ok.stderr);
  } finally {
    fs.rmSync(app.dir, { recursive: true, force: true });
  }
});

test.run();
