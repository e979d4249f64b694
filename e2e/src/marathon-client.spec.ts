// Issue 15: the launcher driven by a real Marathon client, Debian's python3-marathon (MarathonClient):
// create, list, scale to 3, kill a task (replaced), update cmd (rolling restart: every task of the new
// version), delete. The client parses every answer into its models, so a field Marathon does not have, or a
// wrong status code, fails the script. Needs /usr/bin/python3 with python3-marathon (`apt-get install python3-marathon`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startCluster, type LocalCluster } from '@mesos-ts/cli';

const PYTHON = '/usr/bin/python3';
const HAVE_CLIENT = spawnSync(PYTHON, ['-c', 'import marathon'], { stdio: 'ignore' }).status === 0;

// Waits are bounded loops inside the script; it prints one line per step.
const SCRIPT = String.raw`
import sys, time
from marathon import MarathonClient
from marathon.models import MarathonApp
c = MarathonClient(sys.argv[1], timeout=10)
def wait(what, probe, limit=45):
    end = time.time() + limit
    while time.time() < end:
        v = probe()
        if v: return v
        time.sleep(0.2)
    raise SystemExit('timed out waiting for ' + what)
def running(n, version=None):
    app = c.get_app('/client/sleeper', embed_tasks=True)
    ts = [t for t in app.tasks if t.state == 'TASK_RUNNING' and (version is None or t.version == version)]
    return app if len(ts) == n and len(app.tasks) == n else None
app = c.create_app('/client/sleeper', MarathonApp(cmd='exec sleep 1000', cpus=0.1, mem=32, instances=1))
print('created', app.id)
wait('1 running', lambda: running(1))
print('listed', [a.id for a in c.list_apps()])
c.scale_app('/client/sleeper', instances=3)
app = wait('3 running', lambda: running(3))
print('scaled', app.instances, app.tasks_running)
victim = app.tasks[0].id
c.kill_task('/client/sleeper', victim)
wait('replacement', lambda: (lambda a: a and victim not in [t.id for t in a.tasks] and a)(running(3)))
print('replaced', victim)
old = c.get_app('/client/sleeper')
old.cmd = 'exec sleep 999'
c.update_app('/client/sleeper', old)
new = wait('new version', lambda: (lambda a: a.version != old.version and a)(c.get_app('/client/sleeper')))
wait('3 of the new version', lambda: running(3, new.version))
print('rolled', new.version, [t.version == new.version for t in c.list_tasks('/client/sleeper')])
c.delete_app('/client/sleeper')
wait('no tasks', lambda: len(c.list_tasks()) == 0)
print('deleted', [a.id for a in c.list_apps()])
`;

let cluster: LocalCluster;
let workDir: string;

beforeAll(async () => {
  if (!HAVE_CLIENT) return;
  workDir = await mkdtemp(path.join(os.tmpdir(), 'marathon-client-'));
  cluster = await startCluster({ numAgents: 2, ip: '127.0.0.1', port: 0, workDir, resources: 'cpus:2;mem:2048;disk:2048', attributes: undefined, allocationInterval: '100ms', verbose: false, launcherPort: 0 });
});

afterAll(async () => {
  await cluster?.stop();
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

describe.skipIf(!HAVE_CLIENT)('python3-marathon MarathonClient against the launcher (needs python3-marathon)', () => {
  it('create, list, scale to 3, kill → replaced, update cmd → rolling restart, delete', async () => {
    const { stdout } = await promisify(execFile)(PYTHON, ['-c', SCRIPT, cluster.launcher!.url], { timeout: 120_000 }).catch((e: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('created /client/sleeper');
    expect(lines[1]).toBe("listed ['/client/sleeper']");
    expect(lines[2]).toBe('scaled 3 3');
    expect(lines[3]).toMatch(/^replaced client_sleeper\./);
    expect(lines[4]).toMatch(/^rolled \S+ \[True, True, True\]$/);
    expect(lines[5]).toBe('deleted []');
  });
});
