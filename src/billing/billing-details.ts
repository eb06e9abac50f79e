// The client's billing details (edited by its owner) and the operator's own (global settings):
// what a statement prints. Empty client fields fall back to the client's company details.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Vault } from '../vault/index.ts';
import { badRequest } from '../lib/errors.ts';
import { charLength } from '../lib/text.ts';
import { CARD_NUMBER_MESSAGE, containsCardNumber } from '../lib/card-number.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';
import { isValidEmail } from '../auth/index.ts';
import { getClient } from '../tenants/index.ts';
import { getSetting } from '../settings/index.ts';

export interface BillingDetails {
  legalName: string;
  /** The client's BIN (business identification number, 12 digits) */
  bin: string;
  invoiceAddress: string;
  /** Where statements are e-mailed */
  email: string;
}

/** The details as stored (empty strings where the owner entered nothing). */
export async function getBillingDetails(db: Db, clientId: string): Promise<BillingDetails> {
  const r = await db.selectFrom('billing_details').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  return { legalName: r?.legal_name ?? '', bin: r?.bin ?? '', invoiceAddress: r?.invoice_address ?? '', email: r?.email ?? '' };
}

/** The details a statement prints: stored ones, else the client's company name, invoice address and contact e-mail. */
export async function effectiveBillingDetails(db: Db, clientId: string): Promise<BillingDetails> {
  const [d, client] = await Promise.all([getBillingDetails(db, clientId), getClient(db, clientId)]);
  return { legalName: d.legalName || client.name, bin: d.bin, invoiceAddress: d.invoiceAddress || client.invoiceAddress, email: d.email || client.contactEmail };
}

/** Every problem with the details, by field (a form shows each inline; the API names the first). */
export function billingDetailsProblems(d: BillingDetails): Array<{ field: string; code: string; message: string }> {
  const out: Array<{ field: string; code: string; message: string }> = [];
  const fields: Array<[keyof BillingDetails, string, number]> = [['legalName', 'legal_name', 200], ['bin', 'bin', 12], ['invoiceAddress', 'invoice_address', 1000], ['email', 'email', 254]];
  for (const [key, field, max] of fields) {
    const v = d[key];
    if (containsCardNumber(v)) out.push({ field, code: 'card_number', message: CARD_NUMBER_MESSAGE });
    else if (charLength(v) > max) out.push({ field, code: 'too_long', message: `At most ${max} characters` });
  }
  if (d.bin && !/^\d{12}$/.test(d.bin) && !out.some((p) => p.field === 'bin')) out.push({ field: 'bin', code: 'invalid_bin', message: 'A BIN has 12 digits' });
  if (d.email && !isValidEmail(d.email) && !out.some((p) => p.field === 'email')) out.push({ field: 'email', code: 'invalid_email', message: 'Enter a valid e-mail address' });
  return out;
}

/** Saves the details (audited: the names of the changed fields, never their values). */
export async function updateBillingDetails(db: Db, clock: Clock, clientId: string, input: BillingDetails, by: AuditBy): Promise<BillingDetails> {
  const d = { legalName: input.legalName.trim(), bin: input.bin.replace(/\s/g, ''), invoiceAddress: input.invoiceAddress.trim(), email: input.email.trim() };
  const [first] = billingDetailsProblems(d);
  if (first) throw badRequest(first.message, first.field, first.code);
  const before = await getBillingDetails(db, clientId);
  const changed = (Object.keys(d) as Array<keyof BillingDetails>).filter((k) => d[k] !== before[k]);
  const now = clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    const row = { legal_name: d.legalName, bin: d.bin, invoice_address: d.invoiceAddress, email: d.email, updated_at: now };
    await trx.insertInto('billing_details').values({ client_id: clientId, ...row }).onConflict((oc) => oc.column('client_id').doUpdateSet(row)).execute();
    if (changed.length) await recordAudit(trx, clock, { actor: by, ip: by.ip, action: 'billing_details.updated', clientId, targetType: 'client', targetId: clientId, details: { fields: changed } });
  });
  return d;
}

export interface OperatorDetails {
  name: string;
  bin: string;
  address: string;
  bank: string;
  /** VAT in percent (e.g. 12), added to statements */
  vatPercent: number;
}

/** The operator's details and VAT rate, from the global settings (billing.*). */
export async function operatorDetails(db: Db, vault: Vault): Promise<OperatorDetails> {
  const get = async (k: string) => (await getSetting(db, vault, `billing.${k}`)) ?? '';
  const [name, bin, address, bank, vat] = await Promise.all([get('operator_name'), get('operator_bin'), get('operator_address'), get('operator_bank'), get('vat_percent')]);
  return { name, bin, address, bank, vatPercent: Number(vat || '0') };
}
