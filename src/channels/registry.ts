import type { ChannelDirectory, ChannelKind } from '../messaging/index.ts';
import type { ChannelDriver } from './channel.ts';

/**
 * The channel kinds this process knows, by kind: one driver each. Built in the composition
 * (pipeline.ts from CHANNEL_DRIVERS; a test may add its own), asked by every place that needs
 * to know what differs by kind.
 */
export class ChannelRegistry implements ChannelDirectory {
  private readonly byKind = new Map<string, ChannelDriver>();

  constructor(drivers: readonly ChannelDriver[]) {
    for (const d of drivers) this.byKind.set(d.kind, d);
  }

  driverFor(kind: ChannelKind): ChannelDriver | undefined {
    return this.byKind.get(kind);
  }

  rulesFor(kind: ChannelKind): ChannelDriver | undefined {
    return this.byKind.get(kind);
  }

  kinds(): ChannelKind[] {
    return [...this.byKind.keys()];
  }
}
