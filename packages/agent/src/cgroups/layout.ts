// Which cgroup hierarchy the cgroups isolators use, decided from the host's mount table (pure: the caller
// reads /proc/self/mounts and each cgroup2 root's cgroup.controllers). cgroup v1 mounts one hierarchy per
// controller (or a few co-mounted, e.g. cpu,cpuacct); cgroup v2 has one unified hierarchy whose root lists
// the controllers it can hand down. A controller bound to a v1 hierarchy is absent from v2, so v1 wins when
// every controller we need has a v1 hierarchy; otherwise v2 must offer them all.

/** What an isolator needs: cgroups/cpu → cpu (+ cpuacct on v1 for usage), cgroups/mem → memory. */
export type CgroupResource = 'cpu' | 'mem';

export type CgroupLayout =
  | {
      version: 1;
      /** Mount point of the hierarchy of each v1 controller we use. */
      mounts: Readonly<Partial<Record<'cpu' | 'cpuacct' | 'memory', string>>>;
    }
  | {
      version: 2;
      /** Mount point of the unified hierarchy. */
      mount: string;
      /** v2 controllers we use (enabled in cgroup.subtree_control down to the container cgroups). */
      controllers: readonly string[];
    };

export interface CgroupMount {
  mountPoint: string;
  type: 'cgroup' | 'cgroup2';
  /** v1: the controllers named in the mount options; v2: empty (see cgroup.controllers). */
  options: readonly string[];
}

const V1_CONTROLLERS: Readonly<Record<CgroupResource, readonly ('cpu' | 'cpuacct' | 'memory')[]>> = { cpu: ['cpu', 'cpuacct'], mem: ['memory'] };
const V2_CONTROLLERS: Readonly<Record<CgroupResource, string>> = { cpu: 'cpu', mem: 'memory' };

/** cgroup mounts from /proc/self/mounts text (octal escapes in paths decoded). */
export function parseCgroupMounts(mountsText: string): CgroupMount[] {
  const out: CgroupMount[] = [];
  for (const line of mountsText.split('\n')) {
    const [, mountPoint, type, options] = line.split(' ');
    if (mountPoint === undefined || (type !== 'cgroup' && type !== 'cgroup2')) continue;
    out.push({ mountPoint: unescapeMountPath(mountPoint), type, options: type === 'cgroup' ? (options ?? '').split(',') : [] });
  }
  return out;
}

/** The kernel escapes space, tab, newline and backslash in mount paths as \ooo. */
export function unescapeMountPath(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/**
 * The layout serving `wanted`, or what is missing (a sentence naming the controllers and hierarchies).
 * `v2Controllers` gives the cgroup.controllers text of each cgroup2 mount point.
 */
export function chooseLayout(mounts: readonly CgroupMount[], v2Controllers: ReadonlyMap<string, string>, wanted: ReadonlySet<CgroupResource>): CgroupLayout | { missing: string } {
  const v1: Partial<Record<'cpu' | 'cpuacct' | 'memory', string>> = {};
  const v1Missing: string[] = [];
  for (const r of wanted) {
    for (const c of V1_CONTROLLERS[r]) {
      const m = mounts.find((x) => x.type === 'cgroup' && x.options.includes(c));
      if (m) v1[c] = m.mountPoint;
      else v1Missing.push(c);
    }
  }
  if (v1Missing.length === 0) return { version: 1, mounts: v1 };
  const need = [...wanted].map((r) => V2_CONTROLLERS[r]);
  const v2 = mounts.filter((m) => m.type === 'cgroup2');
  for (const m of v2) {
    const available = (v2Controllers.get(m.mountPoint) ?? '').split(/\s+/);
    if (need.every((c) => available.includes(c))) return { version: 2, mount: m.mountPoint, controllers: need };
  }
  const v2Note = v2.length === 0 ? 'no cgroup2 hierarchy is mounted' : `the cgroup2 hierarchy at ${v2.map((m) => m.mountPoint).join(', ')} does not offer ${need.filter((c) => v2.every((m) => !(v2Controllers.get(m.mountPoint) ?? '').split(/\s+/).includes(c))).join(', ')} (cgroup.controllers)`;
  return { missing: `no cgroup v1 hierarchy for ${v1Missing.join(', ')} and ${v2Note}` };
}

/** Every directory of one container's cgroup (one per distinct v1 hierarchy; one on v2). */
export function containerDirs(layout: CgroupLayout, root: string, containerId: string): string[] {
  return hierarchyRoots(layout).map((h) => `${h}/${root}/${containerId}`);
}

/** Every distinct hierarchy mount point the layout uses. */
export function hierarchyRoots(layout: CgroupLayout): string[] {
  return layout.version === 2 ? [layout.mount] : [...new Set(Object.values(layout.mounts))];
}

/** The directory of `controller` ('cpu', 'cpuacct', 'memory') for a container; undefined when not used. */
export function controllerDir(layout: CgroupLayout, root: string, containerId: string, controller: 'cpu' | 'cpuacct' | 'memory'): string | undefined {
  if (layout.version === 2) return layout.controllers.includes(controller === 'cpuacct' ? 'cpu' : controller) ? `${layout.mount}/${root}/${containerId}` : undefined;
  const m = layout.mounts[controller];
  return m === undefined ? undefined : `${m}/${root}/${containerId}`;
}
