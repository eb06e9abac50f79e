// Minimisation before a text leaves the appliance: personal identifiers become stable
// placeholders ([PHONE_1], [EMAIL_1], [IIN_1], [CARD_1], [IBAN_1]) and the model's reply gets
// the originals back. One Redactor spans one request, so the same value always gets the same
// placeholder across the instructions, the summary and every message.

export type PiiKind = 'EMAIL' | 'CARD' | 'IBAN' | 'PHONE' | 'IIN';

interface Detector {
  kind: PiiKind;
  pattern: RegExp;
  /** The comparison key (so "+7 701 234 56 78" and "87012345678" are one value), or null to skip the match. */
  key(match: string): string | null;
}

const digits = (s: string) => s.replace(/\D/g, '');

/** The Luhn check that every payment card number passes (and few random digit runs do). */
export function luhnValid(number: string): boolean {
  const d = digits(number);
  if (d.length < 13 || d.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let n = d.charCodeAt(d.length - 1 - i) - 48;
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

/** A Kazakhstani phone number in its canonical 11-digit form 7XXXXXXXXXX (8… and 10-digit 7XX… forms). */
function phoneKey(match: string): string | null {
  let d = digits(match);
  const intl = match.trimStart().startsWith('+');
  if (!intl && d.length === 11 && d.startsWith('8')) d = `7${d.slice(1)}`;
  else if (!intl && d.length === 10 && d.startsWith('7')) d = `7${d}`;
  if (d.length < 10 || d.length > 15) return null;
  // Without "+" a run of 11 digits is a phone only in the Kazakh/Russian trunk forms.
  if (!intl && !(d.length === 11 && d.startsWith('7'))) return null;
  return `+${d}`;
}

// Boundaries: not inside a longer run of letters or digits (\p{L}\p{N} covers Cyrillic and Kazakh).
const B = '(?<![\\p{L}\\p{N}_@.+])';
const E = '(?![\\p{L}\\p{N}_])';

const DETECTORS: Detector[] = [
  {
    kind: 'EMAIL',
    pattern: new RegExp(`(?<![\\p{L}\\p{N}._%+-])[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}${E}`, 'gu'),
    key: (m) => m.toLowerCase(),
  },
  {
    // Payment cards: 13–19 digits, optionally in groups of 4 separated by spaces or dashes; Luhn-checked.
    kind: 'CARD',
    pattern: new RegExp(`${B}(?:\\d{4}[ -]?){2,3}\\d{4}(?:[ -]?\\d{1,3})?${E}|${B}\\d{13,19}${E}`, 'gu'),
    key: (m) => (luhnValid(m) ? digits(m) : null),
  },
  {
    // IBAN (Kazakh ones are KZ + 18 characters); spaces allowed in groups of 4.
    kind: 'IBAN',
    pattern: new RegExp(`${B}[A-Z]{2}\\d{2}(?:[ ]?[A-Z0-9]{4}){3,7}(?:[ ]?[A-Z0-9]{1,3})?${E}`, 'gu'),
    key: (m) => m.replace(/\s/g, '').toUpperCase(),
  },
  {
    // International (+country …) and Kazakh trunk forms: +7 701 234 56 78, 8 (701) 234-56-78, 87012345678, 701 234 5678.
    kind: 'PHONE',
    pattern: new RegExp(`${B}(?:\\+\\s?\\d{1,3}|8|7)?[\\s.-]?\\(?\\d{3}\\)?[\\s.-]?\\d{3}[\\s.-]?\\d{2}[\\s.-]?\\d{2}${E}|${B}\\+\\d[\\d\\s().-]{8,18}\\d${E}`, 'gu'),
    key: phoneKey,
  },
  {
    // IIN (individuals) and BIN (organisations): 12 digits. Over-redacting a 12-digit order
    // number is the safe side of the trade.
    kind: 'IIN',
    pattern: new RegExp(`${B}\\d{6}[ ]?\\d{6}${E}`, 'gu'),
    key: (m) => digits(m),
  },
];

const PLACEHOLDER = /\[(EMAIL|CARD|IBAN|PHONE|IIN)_(\d{1,4})\]/g;

/** Replaces personal identifiers with placeholders and puts them back; stable within one instance. */
export class Redactor {
  private readonly byKey = new Map<string, string>();
  private readonly originals = new Map<string, string>();
  private readonly counters: Record<PiiKind, number> = { EMAIL: 0, CARD: 0, IBAN: 0, PHONE: 0, IIN: 0 };

  /** How many distinct values were replaced, by kind. */
  get counts(): Readonly<Record<PiiKind, number>> {
    return this.counters;
  }

  redact(text: string): string {
    let out = text;
    for (const d of DETECTORS) {
      out = out.replace(d.pattern, (match) => {
        const trimmed = match.trim();
        const key = d.key(trimmed);
        if (key === null) return match;
        const lead = match.slice(0, match.indexOf(trimmed));
        return lead + this.placeholder(d.kind, key, trimmed);
      });
    }
    return out;
  }

  /** Puts the originals back where the model used a placeholder (also without the brackets). */
  restore(text: string): string {
    return text
      .replace(PLACEHOLDER, (m) => this.originals.get(m) ?? m)
      .replace(/\b(EMAIL|CARD|IBAN|PHONE|IIN)_(\d{1,4})\b/g, (m) => this.originals.get(`[${m}]`) ?? m);
  }

  private placeholder(kind: PiiKind, key: string, original: string): string {
    const k = `${kind}:${key}`;
    let p = this.byKey.get(k);
    if (!p) {
      p = `[${kind}_${++this.counters[kind]}]`;
      this.byKey.set(k, p);
      this.originals.set(p, original);
    }
    return p;
  }
}

/** A redactor that changes nothing (redaction off: a provider in Kazakhstan, or the client chose so). */
export class NoRedaction extends Redactor {
  override redact(text: string): string {
    return text;
  }
  override restore(text: string): string {
    return text;
  }
}
