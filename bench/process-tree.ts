// Peak memory and CPU seconds of a whole process tree (shopctl, the Pulumi engine, its language
// host, the program, the policy pack, the provider plugins), sampled from /proc. A process that
// lives less than one interval is missed, and one's last ticks before exit are lost: the CPU
// figures are lower bounds, the peak RSS is the largest sum seen at one instant.
import { readdirSync, readFileSync } from "node:fs";
import { statFields, TICKS_PER_SECOND } from "./service-cpu.js";

export type ProcessClass = string;

export interface TreeUsage {
  peakRssMb: number;
  /** CPU seconds per class of process, from each process's first to last sample. */
  cpuSeconds: Record<ProcessClass, number>;
  /** Processes seen per class. */
  processes: Record<ProcessClass, number>;
}

function rssKb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match === null ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** Every live descendant of `root`, and `root` itself. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = Number(statFields(pid)?.[1]);
    if (!Number.isInteger(parent)) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() ?? root;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

export class ProcessTreeSampler {
  private peakKb = 0;
  private readonly last = new Map<number, number>();
  private readonly kind = new Map<number, ProcessClass>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly root: number, private readonly classify: (commandLine: string) => ProcessClass, private readonly intervalMs = 50) {}

  private sample(): void {
    let totalKb = 0;
    for (const pid of descendants(this.root)) {
      const fields = statFields(pid);
      if (fields === undefined) continue;
      const used = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      if (!this.kind.has(pid)) this.kind.set(pid, this.classify(commandLine(pid)));
      this.last.set(pid, used);
      totalKb += rssKb(pid);
    }
    this.peakKb = Math.max(this.peakKb, totalKb);
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => { this.sample(); }, this.intervalMs);
  }

  stop(): TreeUsage {
    if (this.timer !== undefined) clearInterval(this.timer);
    const cpuSeconds: Record<ProcessClass, number> = {};
    const processes: Record<ProcessClass, number> = {};
    for (const [pid, kind] of this.kind) {
      // CPU since the process started: every process here started inside the measured command.
      cpuSeconds[kind] = Math.round(((cpuSeconds[kind] ?? 0) + (this.last.get(pid) ?? 0)) * 100) / 100;
      processes[kind] = (processes[kind] ?? 0) + 1;
    }
    return { peakRssMb: Math.round(this.peakKb / 1024), cpuSeconds, processes };
  }
}
