// CSV for spreadsheets: RFC 4180 quoting, CRLF lines, and cells that would run as a formula
// (a leading = + - @, tab or CR) prefixed with a quote (OWASP CSV injection).
const cell = (v: string | number | boolean | null | undefined) => {
  const s = v === null || v === undefined ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** A header row and the rows, as one CSV text. */
export function toCsv(head: string[], rows: Array<Array<string | number | boolean | null | undefined>>): string {
  return [head, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
