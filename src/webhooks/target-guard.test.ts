import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isPrivateAddress } from './target-guard.ts';

const test = suite('webhook target guard');

/** As the URL parser hands the host over (IPv6 in brackets, IPv4-in-IPv6 rewritten in hex). */
const hostOf = (url: string) => new URL(url).hostname;

test('loopback, private, link-local, carrier-NAT and unspecified addresses are refused, in every spelling', () => {
  const refused = [
    '127.0.0.1', '10.1.2.3', '172.16.5.4', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.100.100.200',
    '::1', '::', 'fe80::1', 'fd00::1',
    hostOf('http://[::ffff:127.0.0.1]/'), hostOf('http://[::ffff:169.254.169.254]/'), hostOf('http://[64:ff9b::10.0.0.1]/'),
    hostOf('http://[::127.0.0.1]/'), '::ffff:192.168.0.10', hostOf('http://0x7f000001/'),
  ];
  for (const a of refused) assert.ok(isPrivateAddress(a), `${a} is refused`);
});

test('public addresses pass, also when written inside IPv6', () => {
  for (const a of ['8.8.8.8', '203.0.113.7', '100.128.0.1', '2001:4860:4860::8888', hostOf('http://[::ffff:8.8.8.8]/'), hostOf('http://[64:ff9b::8.8.8.8]/')]) {
    assert.not.ok(isPrivateAddress(a), `${a} passes`);
  }
});

test.run();
