// Marathon app ids: absolute paths such as `/cassandra/dev-test`; given with or without the leading `/`.
// Each segment is lower-case letters, digits, `-`, `.` and `_` (Marathon's path rule), `.`/`..` excluded.

const SEGMENT = /^(([a-z0-9]|[a-z0-9][a-z0-9\-_.]*[a-z0-9]))$/;

/** `/a/b` for `a/b`, `/a/b/` or `/a/b`. */
export function normaliseAppId(raw: string): string {
  const parts = raw.split('/').filter((s) => s !== '');
  return `/${parts.join('/')}`;
}

/** Why an id is not a valid Marathon path, or undefined when it is. */
export function appIdError(raw: string): string | undefined {
  const parts = raw.split('/').filter((s) => s !== '');
  if (parts.length === 0) return 'must not be empty: give a path such as /my-app or /group/my-app';
  for (const p of parts) {
    if (p === '.' || p === '..' || !SEGMENT.test(p)) {
      return `path segment '${p}' must contain only lower-case letters, digits, hyphens, dots and underscores, beginning and ending with a letter or digit`;
    }
  }
  return undefined;
}

/** A Mesos task id for an app: `<app path with _ for />.<uuid>` as Marathon does (dots separate the parts). */
export function taskIdFor(appId: string, uuid: string): string {
  return `${appId.slice(1).replaceAll('/', '_')}.${uuid}`;
}

/** The app id a task id belongs to, for tasks found at reconciliation (inverse of taskIdFor, best effort). */
export function appIdOfTask(taskId: string): string {
  const dot = taskId.lastIndexOf('.');
  return `/${(dot < 0 ? taskId : taskId.slice(0, dot)).replaceAll('_', '/')}`;
}
