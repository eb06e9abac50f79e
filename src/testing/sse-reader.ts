// Reads a Server-Sent Events response the way a browser's EventSource does (for tests of the
// inbox's live stream against a listening server).

export interface SseEvent {
  event: string;
  data: string;
}

/** Reads events from a response body until `until` matches one or `ms` pass; keepalive comments are skipped. */
export async function readEvents(body: ReadableStream<Uint8Array>, until: (e: SseEvent) => boolean, ms: number): Promise<SseEvent[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const seen: SseEvent[] = [];
  let buffer = '';
  const deadline = Date.now() + ms;
  try {
    while (Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => { timer = setTimeout(() => r(null), deadline - Date.now()); })]);
      clearTimeout(timer);
      if (!chunk || chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) continue;
        const e: SseEvent = { event: 'message', data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) e.event = line.slice(7);
          else if (line.startsWith('data: ')) e.data += line.slice(6);
        }
        seen.push(e);
        if (until(e)) return seen;
      }
    }
    return seen;
  } finally {
    reader.releaseLock();
  }
}
