// The renderer's money text (renderer/lib/money.ts): rounding on the bigint, grouping on the
// digit string, the minor unit from Intl. Node runs with the en-US default locale here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { amountText, minorDigits, minutesText, roundedPlain, totalText } from '../../renderer/lib/money.ts';
import { parseMoney } from '../../shared/money.ts';

test('minor unit digits come from Intl (ISO 4217)', () => {
  assert.equal(minorDigits('USD'), 2);
  assert.equal(minorDigits('EUR'), 2);
  assert.equal(minorDigits('JPY'), 0);
  assert.equal(minorDigits('BHD'), 3);
});

test('totals round half away from zero to the minor unit, exactly, and group', () => {
  assert.equal(totalText('168.25137449', 'USD'), '168.25');
  assert.equal(totalText('-84.40892449', 'USD'), '-84.41');
  assert.equal(totalText('0.005', 'USD'), '0.01');
  assert.equal(totalText('-0.005', 'USD'), '-0.01');
  assert.equal(totalText('-0.004999999', 'USD'), '0.00', 'a total that rounds to zero has no sign');
  assert.equal(totalText('1234567.895', 'EUR'), '1,234,567.90');
  assert.equal(totalText('1499.5', 'JPY'), '1,500');
  assert.equal(totalText('1.0005', 'BHD'), '1.001');
  // Beyond a double's 15-16 significant digits: still exact.
  assert.equal(totalText('90071992547409.925', 'USD'), '90,071,992,547,409.93');
  assert.equal(roundedPlain(parseMoney('0.000000001'), 2), '0.00');
});

test('one amount keeps every digit it has, at least the minor unit', () => {
  assert.equal(amountText('0.00385', 'USD'), '0.00385');
  assert.equal(amountText('0.1650', 'USD'), '0.165');
  assert.equal(amountText('0.1', 'USD'), '0.10');
  assert.equal(amountText('0', 'EUR'), '0.00');
  assert.equal(amountText('1234.000000001', 'USD'), '1,234.000000001');
  assert.equal(amountText('not money', 'USD'), 'not money');
});

test('minutes are grouped, with their tenth', () => {
  assert.equal(minutesText('1245.5'), '1,245.5');
  assert.equal(minutesText('1401'), '1,401.0');
  assert.equal(minutesText('0.0'), '0.0');
});
