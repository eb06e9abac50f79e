import fs from 'node:fs';
import path from 'node:path';
import { listUsers } from '../auth/index.ts';
import { readSmtpConfig, sendInReadersLanguages, type MailLanguage } from '../mail/index.ts';
import type { JobHandler } from '../jobs/index.ts';
import { fetchRemoteBackup, pickRemoteBackup } from './fetch.ts';
import { inspectDataFile } from './inspect.ts';
import { openObjectStore } from './s3-store.ts';
import { finishRun, lastRun, startRun } from './runs.ts';
import { backupKeyOf, type BackupDeps } from './scheduled.ts';
import { locationRefusal, readRemoteSettings, targetOf } from './target.ts';
import { pruneRemote } from './upload.ts';

export const DRILL_KIND = 'backups.restore_drill';
/** The drill job looks daily; it drills weekly and warns when the last success is two weeks old. */
export const DRILL_CHECK_EVERY_MS = 24 * 3600_000;
export const DRILL_EVERY_MS = 7 * 24 * 3600_000;
export const DRILL_STALE_MS = 14 * 24 * 3600_000;

export interface DrillResult { ok: boolean; objectKey?: string; error?: string; tables?: number }

/**
 * The restore drill: fetches the newest remote backup, decrypts and opens it in `scratchDir`, runs
 * integrity_check, compares each table's row count with the manifest, records the result (a
 * `drill` run) and removes the scratch copy.
 */
export async function runRestoreDrill(deps: BackupDeps, scratchDir: string): Promise<DrillResult> {
  const runId = await startRun(deps.db, deps.clock, 'drill');
  fs.mkdirSync(scratchDir, { recursive: true, mode: 0o700 });
  const file = path.join(scratchDir, `drill-${runId}.db`);
  let objectKey: string | undefined;
  let result: DrillResult;
  try {
    const settings = await readRemoteSettings(deps.db, deps.vault);
    const target = targetOf(settings);
    const store = openObjectStore(target);
    try {
      const backup = await pickRemoteBackup(store, target.prefix);
      objectKey = backup.objectKey;
      const manifest = await fetchRemoteBackup(store, backup, backupKeyOf(deps.vault), file);
      const { tables, integrity } = await inspectDataFile(file, { integrity: true });
      if (integrity !== 'ok') throw new Error(`the restored copy failed the integrity check: ${integrity}`);
      if (!['schema_migrations', 'clients', 'users'].every((t) => t in tables)) throw new Error('the restored copy is not a Habar data file');
      const names = new Set([...Object.keys(tables), ...Object.keys(manifest.tables)]);
      const differ = [...names].filter((n) => tables[n] !== manifest.tables[n]).map((n) => `${n}: ${tables[n] ?? 'missing'} rows, manifest ${manifest.tables[n] ?? 'missing'}`);
      if (differ.length) throw new Error(`row counts differ from the manifest: ${differ.join('; ')}`);
      result = { ok: true, objectKey, tables: names.size };
    } finally {
      store.close();
    }
  } catch (err) {
    result = { ok: false, objectKey, error: (err as Error).message };
  } finally {
    for (const s of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + s, { force: true });
  }
  await finishRun(deps.db, deps.clock, runId, { ok: result.ok, objectKey, error: result.error, details: { tables: result.tables ?? 0 } });
  deps.log[result.ok ? 'info' : 'error']('lifecycle', result.ok ? 'restore drill passed' : 'restore drill failed', { object: objectKey, error: result.error });
  return result;
}

// The operator's admins get these in their own language (the UI's ru/kk/en).
const MAIL: Record<MailLanguage, { failed: (why: string, last: string) => [string, string]; stale: (last: string) => [string, string]; never: string }> = {
  ru: {
    failed: (why, last) => ['[Habar] Проверка восстановления резервной копии не прошла', `Еженедельная проверка восстановления удалённой резервной копии не прошла:\n\n${why}\n\nПоследняя успешная проверка: ${last}.\n`],
    stale: (last) => ['[Habar] Резервная копия давно не проверялась', `Последняя успешная проверка восстановления удалённой резервной копии: ${last} (больше двух недель назад).\n`],
    never: 'ни одной',
  },
  kk: {
    failed: (why, last) => ['[Habar] Сақтық көшірмені қалпына келтіру тексерісі өтпеді', `Қашықтағы сақтық көшірмені апта сайынғы қалпына келтіру тексерісі өтпеді:\n\n${why}\n\nСоңғы сәтті тексеріс: ${last}.\n`],
    stale: (last) => ['[Habar] Сақтық көшірме ұзақ уақыт тексерілмеді', `Қашықтағы сақтық көшірмені соңғы сәтті қалпына келтіру тексерісі: ${last} (екі аптадан бұрын).\n`],
    never: 'әлі болған жоқ',
  },
  en: {
    failed: (why, last) => ['[Habar] The restore drill of the off-site backup failed', `This week's restore drill of the off-site backup failed:\n\n${why}\n\nLast successful drill: ${last}.\n`],
    stale: (last) => ['[Habar] The off-site backup has not passed a restore drill for two weeks', `The last successful restore drill of the off-site backup was ${last} (more than two weeks ago).\n`],
    never: 'never',
  },
};

async function mailAdmins(deps: BackupDeps, make: (m: (typeof MAIL)[MailLanguage], last: string) => [string, string]): Promise<void> {
  const smtp = await readSmtpConfig(deps.db, deps.vault);
  if (!smtp) return;
  const admins = (await listUsers(deps.db, null)).filter((u) => u.role === 'admin' && !u.disabled);
  const lastOk = await lastRun(deps.db, 'drill', 'ok');
  await sendInReadersLanguages(smtp, admins, (lang) => {
    const [subject, text] = make(MAIL[lang], lastOk?.finishedAt ?? MAIL[lang].never);
    return { subject, text };
  });
}

/**
 * The daily look of the drill job: applies remote retention by age, drills when the last drill is
 * a week old (once an upload has succeeded), e-mails the admins when a drill fails, and when the
 * last success is more than two weeks old otherwise (at most weekly, recorded as a `notice` run).
 */
export function restoreDrillHandler(deps: BackupDeps & { config: { dataDir: string } }): JobHandler {
  return {
    kind: DRILL_KIND,
    async run() {
      const settings = await readRemoteSettings(deps.db, deps.vault);
      if (!settings.enabled || locationRefusal(settings) || !(await lastRun(deps.db, 'upload', 'ok'))) return;
      const now = deps.clock.now().getTime();
      const target = targetOf(settings);
      const store = openObjectStore(target);
      try {
        await pruneRemote(store, target.prefix, settings.keep, settings.keepDays, deps.clock.now());
      } catch (err) {
        // The drill below meets the same storage and reports it; retention tries again tomorrow.
        deps.log.error('lifecycle', 'off-site retention failed', { error: err as Error });
      } finally {
        store.close();
      }
      const lastDrill = await lastRun(deps.db, 'drill');
      if (!lastDrill || now - Date.parse(lastDrill.startedAt) >= DRILL_EVERY_MS) {
        const r = await runRestoreDrill(deps, path.join(deps.config.dataDir, 'backups', 'drill'));
        if (!r.ok) return mailAdmins(deps, (m, last) => m.failed(r.error ?? '', last));
        return;
      }
      const lastOk = await lastRun(deps.db, 'drill', 'ok');
      const notice = await lastRun(deps.db, 'notice');
      const stale = !lastOk || now - Date.parse(lastOk.finishedAt ?? lastOk.startedAt) > DRILL_STALE_MS;
      // A failed drill has already been mailed; this is for drills that stopped happening or hang.
      if (stale && lastDrill.status !== 'failed' && (!notice || now - Date.parse(notice.startedAt) >= DRILL_EVERY_MS)) {
        const id = await startRun(deps.db, deps.clock, 'notice');
        await finishRun(deps.db, deps.clock, id, { ok: true, details: { reason: 'drill_stale' } });
        await mailAdmins(deps, (m, last) => m.stale(last));
      }
    },
  };
}
