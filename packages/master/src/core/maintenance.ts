// Maintenance (upstream's maintenance primitives), pure: a schedule of windows naming machines, a machine's mode
// (UP, DRAINING while it is in a window, DOWN once the operator says so), and the checks upstream makes on
// POST /maintenance/schedule, /machine/down and /machine/up.
import type { maintenance, v1 } from '@mesos-ts/proto';

export interface MaintenanceBooks {
  schedule: maintenance.Schedule;
  /** machineKey of machines the operator took down. */
  down: Set<string>;
  /** Outstanding inverse offers: id -> which framework was asked about which agent. */
  inverseOffers: Map<string, { frameworkId: string; agentId: string; machine: string }>;
  /** Answers to inverse offers per machine, per framework (shown by /maintenance/status). */
  answers: Map<string, Map<string, { status: 'UNKNOWN' | 'ACCEPT' | 'DECLINE'; timestamp: number }>>;
}

export function newMaintenanceBooks(): MaintenanceBooks {
  return { schedule: { windows: [] }, down: new Set(), inverseOffers: new Map(), answers: new Map() };
}

export function machineKey(id: v1.MachineID): string {
  return `${id.hostname ?? ''}/${id.ip ?? ''}`;
}

/** Machines of the schedule, by key. */
export function scheduledMachines(schedule: maintenance.Schedule): Map<string, { id: v1.MachineID; unavailability: v1.Unavailability }> {
  const out = new Map<string, { id: v1.MachineID; unavailability: v1.Unavailability }>();
  for (const w of schedule.windows ?? []) for (const id of w.machine_ids ?? []) out.set(machineKey(id), { id, unavailability: w.unavailability });
  return out;
}

/** Why a schedule is refused (upstream's validation), or null. */
export function scheduleProblem(schedule: maintenance.Schedule, down: ReadonlySet<string>): string | null {
  const seen = new Set<string>();
  for (const w of schedule.windows ?? []) {
    if ((w.machine_ids ?? []).length === 0) return 'List of machines in the maintenance window is empty';
    if (!w.unavailability?.start) return "Each maintenance window needs an 'unavailability' with a 'start'";
    for (const id of w.machine_ids ?? []) {
      if (!id.hostname && !id.ip) return "A MachineID needs at least one of 'hostname' or 'ip'";
      const key = machineKey(id);
      if (seen.has(key)) return `Machine '${JSON.stringify(id)}' appears more than once in the schedule`;
      seen.add(key);
    }
  }
  for (const key of down) if (!seen.has(key)) return `Machine '${key}' is down: bring it up (POST /machine/up) before removing it from the schedule`;
  return null;
}

/** Why /machine/down or /machine/up is refused for these machines, or null. */
export function machineChangeProblem(change: 'down' | 'up', ids: readonly v1.MachineID[], books: Pick<MaintenanceBooks, 'schedule' | 'down'>): string | null {
  if (ids.length === 0) return 'List of machines is empty';
  const scheduled = scheduledMachines(books.schedule);
  for (const id of ids) {
    if (!id.hostname && !id.ip) return "A MachineID needs at least one of 'hostname' or 'ip'";
    const key = machineKey(id);
    if (change === 'down') {
      if (!scheduled.has(key)) return `Machine '${JSON.stringify(id)}' is not part of a maintenance schedule`;
      if (books.down.has(key)) return `Machine '${JSON.stringify(id)}' is not in DRAINING mode and cannot be brought down`;
    } else if (!books.down.has(key)) {
      return `Machine '${JSON.stringify(id)}' is not in DOWN mode and cannot be brought up`;
    }
  }
  return null;
}

/** The machine key of an agent in the schedule (matched by hostname, or by ip when the window names only an ip). */
export function agentMachine(schedule: maintenance.Schedule, hostname: string, ip: string | undefined): string | undefined {
  for (const [key, { id }] of scheduledMachines(schedule)) {
    if (id.hostname ? id.hostname === hostname : id.ip === ip || id.ip === hostname) return key;
  }
  return undefined;
}

/** Why an agent on `hostname` may not (re-)register: its machine is DOWN (upstream refuses it), or undefined. */
export function downMachineRefusal(books: Pick<MaintenanceBooks, 'schedule' | 'down'>, hostname: string): string | undefined {
  const key = agentMachine(books.schedule, hostname, undefined);
  if (key === undefined || !books.down.has(key)) return undefined;
  return `Machine '${hostname}' is DOWN for maintenance: the agent may register once an operator brings it up (POST /machine/up or STOP_MAINTENANCE)`;
}

/** The unavailability an offer of this agent carries (upstream sets it on offers of machines in a window). */
export function agentUnavailability(books: Pick<MaintenanceBooks, 'schedule'>, hostname: string): v1.Unavailability | undefined {
  const key = agentMachine(books.schedule, hostname, undefined);
  return key === undefined ? undefined : scheduledMachines(books.schedule).get(key)?.unavailability;
}
