/**
 * Whether the WhatsApp connector works in this build (e.g. inside the single executable): Baileys
 * loads, its protobuf messages encode and decode, and signal keys are made. Connects nowhere.
 */
export async function whatsappSelfCheck(): Promise<{ ok: boolean; detail: string }> {
  try {
    const { BufferJSON, initAuthCreds, makeWASocket, proto } = await import('@whiskeysockets/baileys');
    if (typeof makeWASocket !== 'function') return { ok: false, detail: 'Baileys did not load (no makeWASocket)' };
    const bytes = proto.Message.encode({ conversation: 'self-check' }).finish();
    if (proto.Message.decode(bytes).conversation !== 'self-check') return { ok: false, detail: 'Baileys protobuf round trip failed' };
    const creds = JSON.parse(JSON.stringify(initAuthCreds(), BufferJSON.replacer), BufferJSON.reviver) as ReturnType<typeof initAuthCreds>;
    if (creds.noiseKey.private.length !== 32) return { ok: false, detail: 'Baileys signal keys could not be made' };
    return { ok: true, detail: 'Baileys loaded (protobuf and signal keys work)' };
  } catch (err) {
    return { ok: false, detail: `Baileys failed to load: ${(err as Error).message}` };
  }
}
