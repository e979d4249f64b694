// Per-container executor tokens (upstream --authenticate_http_executors, default-safe here): each executor
// gets MESOS_EXECUTOR_AUTHENTICATION_TOKEN = HMAC(agent secret, framework id, executor id) and every
// /api/v1/executor call must carry it as `Authorization: Bearer`. So a task cannot forge updates for a
// container that is not its own. The secret lives in <work_dir>/meta/executor-secret (0600) so executors
// keep their tokens across agent restarts.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const TOKEN_ENV = 'MESOS_EXECUTOR_AUTHENTICATION_TOKEN';

export class ExecutorTokens {
  private readonly secret: Buffer;

  constructor(metaDir: string) {
    const file = path.join(metaDir, 'executor-secret');
    let secret: Buffer | undefined;
    try {
      secret = readFileSync(file);
    } catch {
      // First start on this work_dir: made below.
    }
    if (!secret || secret.length === 0) {
      secret = randomBytes(32);
      mkdirSync(metaDir, { recursive: true });
      writeFileSync(file, secret, { mode: 0o600 });
    }
    this.secret = secret;
  }

  token(frameworkId: string, executorId: string): string {
    return createHmac('sha256', this.secret).update(`${frameworkId}\u0000${executorId}`).digest('base64url');
  }

  /** True when `authorization` is the Bearer token of exactly this framework's executor. */
  verify(frameworkId: string, executorId: string, authorization: string | undefined): boolean {
    const m = /^Bearer (\S+)$/.exec(authorization ?? '');
    if (!m) return false;
    const want = Buffer.from(this.token(frameworkId, executorId));
    const got = Buffer.from(m[1]!);
    return got.length === want.length && timingSafeEqual(got, want);
  }
}

const byMetaDir = new Map<string, ExecutorTokens>();

/** The token keeper of the agent whose meta directory is `metaDir` (one per agent in a process). */
export function tokensFor(metaDir: string): ExecutorTokens {
  let t = byMetaDir.get(metaDir);
  if (!t) byMetaDir.set(metaDir, (t = new ExecutorTokens(metaDir)));
  return t;
}
