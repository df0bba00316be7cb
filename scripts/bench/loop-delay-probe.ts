// Preloaded into a benchmarked server (`--import`): its event-loop delay, reset on SIGUSR2 and
// written (p99 and max, ms) to BENCH_LOOP_DELAY_FILE on SIGUSR2 too, so a bench reads the delay
// over exactly its load window without the product carrying a metrics endpoint for it.
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_LOOP_DELAY_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let reads = 0;
  process.on('SIGUSR2', () => {
    const p99ms = histogram.count ? histogram.percentile(99) / 1e6 : 0;
    const maxMs = histogram.count ? histogram.max / 1e6 : 0;
    fs.writeFileSync(file, JSON.stringify({ read: ++reads, p99ms, maxMs }));
    histogram.reset();
  });
}
