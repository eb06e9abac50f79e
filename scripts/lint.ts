// Lint: the architecture rules of CONVENTIONS.md that the type checker cannot see.
// - arrows point downward: domain rooms never import http/, app.ts or main.ts; db/, vault/, lib/ import no domain room;
// - views/ import only views (and types);
// - each outside SDK is spoken by one room (openai: ai/, baileys: channels/whatsapp/);
// - no process.env outside config/ and main.ts; no console.log in src/;
// - every migration file is registered (also tested);
// - channels never import ai/, automation/, chatwoot/ or billing/ (they hand events to messaging);
// - privacy/ sits above messaging, channels, ai, webhooks and the base rooms: none of them imports it;
// - what differs by channel kind is asked of its driver: outside src/channels/ no code compares a
//   value to a kind's name ('sandbox', 'whatsapp', 'instagram') in ===/!==, a SQL '=' or a case label;
// - http/ only translates: it records no audit rows and opens no transaction (commands in the rooms do both).
// - a room with an index.ts is entered through it (its front door), never by an inner file.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const problems: string[] = [];

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

const importsOf = (src: string) => [...src.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]).concat([...src.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]));

const LOW = ['db', 'vault', 'lib'];
const KIND = `['"\`](?:sandbox|whatsapp|instagram)['"\`]`;
const KIND_COMPARISON = new RegExp(`[!=]==?\\s*${KIND}|${KIND}\\s*[!=]==?|case\\s+${KIND}\\s*:|['"]=['"]\\s*,\\s*${KIND}`);

/** Lines of `src` that compare something to a channel kind's name. */
const kindComparisons = (src: string) => src.split('\n').map((l, i) => [i + 1, l] as const).filter(([, l]) => KIND_COMPARISON.test(l) && !/^\s*(\/\/|\*)/.test(l));
const DOMAIN = ['tenants', 'auth', 'messaging', 'channels', 'ai', 'automation', 'chatwoot', 'privacy', 'billing', 'audit', 'jobs', 'settings', 'mail', 'webhooks', 'backups'];

for (const file of walk(path.join(root, 'src'))) {
  const rel = path.relative(path.join(root, 'src'), file).split(path.sep);
  const room = rel.length > 1 ? rel[0] : rel[0].replace(/\.tsx?$/, '');
  const isTest = /\.test\.tsx?$/.test(file) || room === 'testing';
  const src = fs.readFileSync(file, 'utf8');
  for (const spec of importsOf(src)) {
    if (spec.startsWith('.')) {
      const target = path.relative(path.join(root, 'src'), path.resolve(path.dirname(file), spec)).split(path.sep);
      const tRoom = target[0].startsWith('..') ? (target[1] === 'views' ? 'views' : 'outside') : target.length > 1 ? target[0] : target[0].replace(/\.tsx?$/, '');
      if (isTest) continue;
      if ((DOMAIN.includes(room) || LOW.includes(room)) && ['http', 'app', 'main', 'cli', 'background'].includes(tRoom)) {
        // Type-only imports of the HTTP context are allowed for workers? No: domain code takes its deps as arguments.
        problems.push(`${rel.join('/')}: a domain or base room imports ${tRoom} (arrows point downward only)`);
      }
      if (LOW.includes(room) && DOMAIN.includes(tRoom)) problems.push(`${rel.join('/')}: ${room}/ imports the domain room ${tRoom}/`);
      if ((DOMAIN.includes(room) || LOW.includes(room)) && tRoom === 'views') problems.push(`${rel.join('/')}: only http/ renders views`);
      // A room with an index.ts is entered through it (its front door); lib/, config/ and http/ have none.
      if (tRoom !== room && target.length > 1 && fs.existsSync(path.join(root, 'src', tRoom, 'index.ts')) && !(target.length === 2 && target[1] === 'index.ts')) {
        problems.push(`${rel.join('/')}: imports ${target.join('/')} (enter ${tRoom}/ through its index.ts)`);
      }
      if (['messaging', 'channels', 'ai', 'webhooks', 'tenants', 'auth', 'jobs', 'audit', 'settings', 'billing', 'mail'].includes(room) && tRoom === 'privacy') problems.push(`${rel.join('/')}: imports privacy/ (it sits above the rooms whose data it handles and calls them)`);
      if (room === 'channels' && ['ai', 'automation', 'chatwoot', 'billing'].includes(tRoom)) problems.push(`${rel.join('/')}: channels import ${tRoom}/ (they hand events to messaging; downstream reacts to its jobs)`);
    } else if (!isTest) {
      if (spec === 'openai' && room !== 'ai') problems.push(`${rel.join('/')}: only ai/ imports openai`);
      if (spec.startsWith('@aws-sdk/') && rel.join('/') !== 'backups/s3-store.ts') problems.push(`${rel.join('/')}: only backups/s3-store.ts speaks S3 (@aws-sdk)`);
      if (spec.startsWith('@whiskeysockets/baileys') && !rel.join('/').startsWith('channels/whatsapp/')) problems.push(`${rel.join('/')}: only channels/whatsapp/ imports Baileys`);
    }
  }
  if (!isTest && room !== 'channels') {
    for (const [n] of kindComparisons(src)) problems.push(`${rel.join('/')}:${n}: compares a channel kind (ask the kind's driver: ChannelRegistry.driverFor)`);
  }
  if (!isTest && room === 'http') {
    if (/\brecordAudit\b/.test(src)) problems.push(`${rel.join('/')}: records audit rows (a command in its room audits; the route calls it)`);
    if (/\.transaction\(\)|\binTransaction\b/.test(src)) problems.push(`${rel.join('/')}: opens a transaction (a command in its room does)`);
  }
  if (!isTest && /process\.env/.test(src) && !['config', 'main', 'cli'].includes(room)) problems.push(`${rel.join('/')}: reads process.env (boot config only)`);
  if (!isTest && /console\.log\(/.test(src) && room !== 'cli') problems.push(`${rel.join('/')}: console.log (use the logger)`);
}

for (const file of walk(path.join(root, 'views'))) {
  const src = fs.readFileSync(file, 'utf8');
  for (const [n] of kindComparisons(src)) problems.push(`${path.relative(root, file)}:${n}: compares a channel kind (the route passes what the driver says)`);
  for (const spec of importsOf(src)) {
    if (spec.startsWith('.')) {
      const target = path.resolve(path.dirname(file), spec);
      if (!target.startsWith(path.join(root, 'views'))) {
        const typeOnly = new RegExp(`import\\s+type\\s[^;]*['"]${spec.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"]`).test(src);
        if (!typeOnly) problems.push(`${path.relative(root, file)}: views import only views and types (${spec})`);
      }
    }
  }
}

if (problems.length) {
  console.error(`lint: ${problems.length} problem(s)\n` + problems.map((p) => `  ${p}`).join('\n'));
  process.exit(1);
}
console.log('lint: ok');
