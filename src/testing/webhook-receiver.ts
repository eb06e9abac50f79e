import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyDelivery } from '../webhooks/index.ts';

export interface ReceivedDelivery {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  json: { id: string; event: string; created_at: string; data: unknown };
  validSignature: boolean;
}

/**
 * A stand-in for an integrator's webhook endpoint: real HTTP on 127.0.0.1. It checks each
 * signature with the secret it is given, dedupes by X-Habar-Delivery the way a receiver should,
 * and can be told to answer 500 or never answer.
 */
export class WebhookReceiver {
  /** Every request, duplicates included. */
  readonly requests: ReceivedDelivery[] = [];
  /** First arrival of each delivery id. */
  readonly unique = new Map<string, ReceivedDelivery>();
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  secret = '';
  url = '';
  private server = http.createServer((req, res) => this.handle(req, res));
  private hanging: http.ServerResponse[] = [];

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  async stop(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['x-habar-delivery'] ?? '');
      const timestamp = String(req.headers['x-habar-timestamp'] ?? '');
      const signature = String(req.headers['x-habar-signature'] ?? '');
      let json: ReceivedDelivery['json'];
      try { json = JSON.parse(body); } catch { json = { id: '', event: '', created_at: '', data: null }; }
      const got: ReceivedDelivery = { id, timestamp, signature, body, json, validSignature: verifyDelivery(this.secret, timestamp, body, signature) };
      this.requests.push(got);
      if (this.mode === 'hang') {
        this.hanging.push(res);
        return;
      }
      if (this.mode === 'fail') {
        res.writeHead(500).end('receiver down');
        return;
      }
      if (!got.validSignature) {
        res.writeHead(401).end('bad signature');
        return;
      }
      if (!this.unique.has(id)) this.unique.set(id, got);
      res.writeHead(204).end();
    });
  }
}
