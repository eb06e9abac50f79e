import type { SupervisorPolicy, Timers } from './supervisor.ts';
import type { TypingPolicy } from './outbound.ts';
import type { SocketFactory, WaSocket } from './socket.ts';

/** What differs between production, tests and the benchmark: the socket, where it connects, and the clocks of waiting. */
export interface WhatsappOptions {
  /** Makes the sockets (default: real Baileys sockets; tests pass an event emitter). */
  sockets?: SocketFactory;
  /** Where real sockets connect (default: WhatsApp's own address). */
  waWebSocketUrl?: string;
  connectTimeoutMs?: number;
  /** Hears of every socket made (the benchmark replays events on them). */
  onSocket?(sock: WaSocket): void;
  policy?: Partial<SupervisorPolicy>;
  typing?: TypingPolicy;
  sleep?: (ms: number) => Promise<void>;
  timers?: Timers;
  random?: () => number;
  /** Each connection attempt of any number (the connect-attempts counter). */
  onAttempt?: () => void;
}
