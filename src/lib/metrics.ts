/** A small Prometheus text-format registry: counters and histograms with labels. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const labelText = (labels: Record<string, string>) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

/** A series kept outside the registry: one value, or one sample per label set. */
export type ExtraSeries = { help: string; type?: 'gauge' | 'counter' } & (
  | { value: number }
  | { samples: Array<{ labels: Record<string, string>; value: number }> }
);

export class Metrics {
  private counters = new Map<string, { help: string; values: Map<string, number> }>();
  private histograms = new Map<string, { help: string; values: Map<string, { buckets: number[]; sum: number; count: number }> }>();

  inc(name: string, help: string, labels: Record<string, string> = {}, by = 1): void {
    let c = this.counters.get(name);
    if (!c) this.counters.set(name, (c = { help, values: new Map() }));
    const key = labelText(labels);
    c.values.set(key, (c.values.get(key) ?? 0) + by);
  }

  observe(name: string, help: string, labels: Record<string, string>, seconds: number): void {
    let h = this.histograms.get(name);
    if (!h) this.histograms.set(name, (h = { help, values: new Map() }));
    const key = JSON.stringify(labels);
    let v = h.values.get(key);
    if (!v) h.values.set(key, (v = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) v.buckets[i]++;
    v.sum += seconds;
    v.count++;
  }

  /**
   * Renders the registry plus `extra` series in Prometheus text format 0.0.4: gauges unless
   * `type` says counter (a count kept elsewhere), one value or one sample per label set.
   */
  render(extra: Record<string, ExtraSeries> = {}): string {
    const out: string[] = [];
    for (const [name, c] of this.counters) {
      out.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
      for (const [k, v] of c.values) out.push(`${name}${k} ${v}`);
    }
    for (const [name, h] of this.histograms) {
      out.push(`# HELP ${name} ${h.help}`, `# TYPE ${name} histogram`);
      for (const [k, v] of h.values) {
        const labels = JSON.parse(k) as Record<string, string>;
        BUCKETS.forEach((b, i) => out.push(`${name}_bucket${labelText({ ...labels, le: String(b) })} ${v.buckets[i]}`));
        out.push(`${name}_bucket${labelText({ ...labels, le: '+Inf' })} ${v.count}`);
        out.push(`${name}_sum${labelText(labels)} ${v.sum}`, `${name}_count${labelText(labels)} ${v.count}`);
      }
    }
    for (const [name, g] of Object.entries(extra)) {
      out.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} ${g.type ?? 'gauge'}`);
      if ('value' in g) out.push(`${name} ${g.value}`);
      else for (const x of g.samples) out.push(`${name}${labelText(x.labels)} ${x.value}`);
    }
    return out.join('\n') + '\n';
  }
}
