// The work_dir layout, upstream style:
//   slaves/<agent>/frameworks/<fw>/executors/<ex>/runs/<container>/   sandbox (runs/latest -> newest run)
//   meta/slaves/latest                                                 the agent id (text)
//   meta/slaves/<agent>/frameworks/<fw>/framework.json                 checkpointed FrameworkInfo
//   meta/slaves/<agent>/frameworks/<fw>/executors/<ex>/executor.json   checkpointed executor (info + kind)
//   meta/…/executors/<ex>/runs/<container>/run.json                    pid, process start time, sandbox
//   meta/…/runs/<container>/tasks/<task>/task.json                     checkpointed TaskInfo
//   meta/…/runs/<container>/tasks/<task>/updates                       status update log (JSON lines)
//   meta/resources/resources.json                                      checkpointed reservations and volumes
//   volumes/roles/<role>/<persistence id>/                             persistent volumes
// Ids come from frameworks: they are validated to be one safe path segment before they reach a path.
import path from 'node:path';

export class PathError extends Error {
  override readonly name = 'PathError';
  readonly code = 'INVALID_ID' as const;
}

/** Throws unless `id` is usable as one path segment (no '/', not '.' or '..', no NUL, not empty). */
export function safeSegment(kind: string, id: string): string {
  if (id === '' || id === '.' || id === '..' || id.includes('/') || id.includes('\0') || id.length > 255) {
    throw new PathError(`${kind} '${id}' cannot be used as a directory name: ids must be non-empty, at most 255 bytes, without '/' and not '.' or '..'`);
  }
  return id;
}

export class WorkDir {
  constructor(readonly root: string) {}

  get metaDir(): string {
    return path.join(this.root, 'meta');
  }
  latestAgentFile(): string {
    return path.join(this.root, 'meta', 'slaves', 'latest');
  }
  /** The master's session token for the latest agent id (sent back on REREGISTER). */
  sessionTokenFile(): string {
    return path.join(this.root, 'meta', 'slaves', 'session');
  }
  resourcesFile(): string {
    return path.join(this.root, 'meta', 'resources', 'resources.json');
  }
  agentMeta(agent: string): string {
    return path.join(this.root, 'meta', 'slaves', safeSegment('agent id', agent));
  }
  frameworkMeta(agent: string, fw: string): string {
    return path.join(this.agentMeta(agent), 'frameworks', safeSegment('framework id', fw));
  }
  executorMeta(agent: string, fw: string, ex: string): string {
    return path.join(this.frameworkMeta(agent, fw), 'executors', safeSegment('executor id', ex));
  }
  runMeta(agent: string, fw: string, ex: string, container: string): string {
    return path.join(this.executorMeta(agent, fw, ex), 'runs', safeSegment('container id', container));
  }
  taskMeta(agent: string, fw: string, ex: string, container: string, task: string): string {
    return path.join(this.runMeta(agent, fw, ex, container), 'tasks', safeSegment('task id', task));
  }
  sandboxesRoot(): string {
    return path.join(this.root, 'slaves');
  }
  executorDir(agent: string, fw: string, ex: string): string {
    return path.join(this.root, 'slaves', safeSegment('agent id', agent), 'frameworks', safeSegment('framework id', fw), 'executors', safeSegment('executor id', ex));
  }
  sandbox(agent: string, fw: string, ex: string, container: string): string {
    return path.join(this.executorDir(agent, fw, ex), 'runs', safeSegment('container id', container));
  }
  volumesRoot(): string {
    return path.join(this.root, 'volumes');
  }
  volume(role: string, persistenceId: string): string {
    // Hierarchical roles (a/b) nest directories, as upstream does; each part must be a safe segment.
    const parts = role.split('/').map((p) => safeSegment('role', p));
    return path.join(this.root, 'volumes', 'roles', ...parts, safeSegment('persistence id', persistenceId));
  }
}
