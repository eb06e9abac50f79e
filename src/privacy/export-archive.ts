// The export archives (policy 7.1 access, 7.5 portability): a client's whole data, or one contact's,
// as one ZIP written to disk as it goes. Every table the registry lists appears; secrets never do.
import path from 'node:path';
import type { Db } from '../db/index.ts';
import { ZipFileWriter } from '../lib/zip-writer.ts';
import { PERSONAL_DATA, PERSONAL_DATA_FILES, type PersonalDataTable, type RowsBy } from './registry.ts';
import { countRows, csvLine, exportedColumns, exportedTables, readRows, type Row } from './export-rows.ts';
import { contactSummaryHtml } from './export-summary.ts';

export const EXPORT_FORMAT_VERSION = 1;

export interface ExportSummary {
  /** Rows per table. */
  tables: Record<string, number>;
  media: number;
  missingMedia: number;
}

/** Reports progress in percent (0–100); awaited, so a slow writer slows the export, never the other way. */
export type OnProgress = (percent: number) => Promise<void>;

interface Subject {
  of: 'client' | 'contact';
  clientId: string;
  contactId?: string;
  rowsBy(t: PersonalDataTable): RowsBy;
  id: string;
}

const subjectOf = (clientId: string, contactId?: string): Subject => (contactId
  ? { of: 'contact', clientId, contactId, id: contactId, rowsBy: (t) => t.byContact! }
  : { of: 'client', clientId, id: clientId, rowsBy: (t) => t.byClient! });

/** The media files of the subject: stored attachments with their original names. */
async function mediaOf(db: Db, s: Subject): Promise<Array<{ id: string; name: string; path: string }>> {
  let q = db.selectFrom('attachments').select(['id', 'file_name as name', 'path']).where('client_id', '=', s.clientId);
  if (s.contactId) q = q.where('contact_id', '=', s.contactId);
  return q.orderBy('id').execute();
}

class Progress {
  private done = 0;
  private last = -1;
  constructor(private readonly total: number, private readonly report: OnProgress) {}
  async add(n: number): Promise<void> {
    this.done += n;
    // Up to 99 while writing: 100 is the job's, once the archive is complete and recorded.
    const pct = this.total ? Math.min(99, Math.floor((this.done / this.total) * 100)) : 99;
    if (pct >= this.last + 5 || (pct === 99 && this.last !== 99)) {
      this.last = pct;
      await this.report(pct);
    }
  }
}

/**
 * Writes the archive of a client (`contactId` absent) or of one contact to `file`:
 *   manifest.json — what is inside, row counts, the format version;
 *   schema.json — each table: what it holds and its columns (secrets left out);
 *   data/<table>.ndjson and data/<table>.csv — the rows (client archives);
 *   contact.json and summary.html — the person's rows and a readable summary (contact archives);
 *   media/<id>/<name> — the files.
 */
export async function writeExportArchive(
  deps: { db: Db; dataDir: string; now: () => Date },
  input: { clientId: string; contactId?: string; requestId: string; lang?: string; file: string },
  onProgress: OnProgress,
): Promise<ExportSummary> {
  const { db } = deps;
  const s = subjectOf(input.clientId, input.contactId);
  const tables = exportedTables(PERSONAL_DATA, s.of);
  const counts = new Map<string, number>();
  for (const t of tables) counts.set(t.table, await countRows(db, t, s.rowsBy(t), s.id));
  const media = await mediaOf(db, s);
  const rows = [...counts.values()].reduce((a, b) => a + b, 0);
  // Client archives read each table twice (NDJSON, then CSV).
  const progress = new Progress(rows * (s.of === 'client' ? 2 : 1) + media.length, onProgress);
  await onProgress(1);

  const zip = new ZipFileWriter(input.file);
  try {
    const schema: Array<Record<string, unknown>> = [];
    const contactData: Record<string, Row[]> = {};
    for (const t of tables) {
      const columns = await exportedColumns(db, t);
      schema.push({ table: t.table, holds: t.holds, rows: counts.get(t.table), columns, ...(t.why ? { note: t.why } : {}) });
      if (s.of === 'contact') {
        const rows: Row[] = [];
        for await (const page of readRows(db, t, s.rowsBy(t), s.id, columns)) { rows.push(...page); await progress.add(page.length); }
        contactData[t.table] = rows;
        continue;
      }
      // Two passes (one entry at a time, and no table held in memory): NDJSON, then CSV.
      const ndjson = zip.open(`data/${t.table}.ndjson`);
      for await (const page of readRows(db, t, s.rowsBy(t), s.id, columns)) {
        for (const row of page) ndjson.write(`${JSON.stringify(row)}\n`);
        await progress.add(page.length);
      }
      ndjson.end();
      const csv = zip.open(`data/${t.table}.csv`);
      csv.write(csvLine(columns.map((c) => c.name)));
      for await (const page of readRows(db, t, s.rowsBy(t), s.id, columns)) {
        for (const row of page) csv.write(csvLine(columns.map((c) => row[c.name])));
        await progress.add(page.length);
      }
      csv.end();
    }
    if (s.of === 'contact') {
      zip.add('contact.json', JSON.stringify({ contact_id: s.contactId, client_id: s.clientId, tables: contactData }, null, 2));
      zip.add('summary.html', contactSummaryHtml(contactData, { lang: input.lang, createdAt: deps.now().toISOString() }));
    }
    let missing = 0;
    const mediaFiles: Array<{ id: string; path: string }> = [];
    for (const m of media) {
      const inZip = `media/${m.id}/${safeName(m.name)}`;
      if (await zip.addFile(inZip, path.join(deps.dataDir, 'attachments', m.path), { store: true })) mediaFiles.push({ id: m.id, path: inZip });
      else missing++;
      await progress.add(1);
    }
    zip.add('schema.json', JSON.stringify({
      description: s.of === 'client'
        ? 'Everything Habar holds about this client. data/<table>.ndjson has one JSON object per line; data/<table>.csv the same rows as CSV (RFC 4180, UTF-8). Secrets (passwords, keys, tokens, sealed credentials) are left out.'
        : 'Everything Habar holds about this person: contact.json has their rows by table; summary.html shows them readably.',
      tables: schema,
      files: PERSONAL_DATA_FILES.filter((f) => f.table).map((f) => ({ name: f.name, holds: f.holds, in_archive: 'media/<attachment id>/<file name>' })),
    }, null, 2));
    const summary: ExportSummary = { tables: Object.fromEntries(counts), media: mediaFiles.length, missingMedia: missing };
    zip.add('manifest.json', JSON.stringify({
      format: s.of === 'client' ? 'habar-client-export' : 'habar-contact-export', version: EXPORT_FORMAT_VERSION,
      request_id: input.requestId, client_id: s.clientId, ...(s.contactId ? { contact_id: s.contactId } : {}), created_at: deps.now().toISOString(),
      tables: summary.tables, media: mediaFiles, missing_media: missing,
      files: [
        'manifest.json', 'schema.json',
        ...(s.of === 'client' ? tables.flatMap((t) => [`data/${t.table}.ndjson`, `data/${t.table}.csv`]) : ['contact.json', 'summary.html']),
      ],
    }, null, 2));
    await zip.close();
    return summary;
  } catch (err) {
    zip.abort();
    throw err;
  }
}

const safeName = (name: string) => name.replace(/[\\/\0]/g, '_').replace(/^\.+/, '_') || 'file';
