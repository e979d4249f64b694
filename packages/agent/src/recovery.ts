// Agent recovery after a restart (crash, kill -9, upgrade). From work_dir/meta it rebuilds the agent id,
// checkpointed resources, frameworks, executors, tasks and their status update streams. With
// --recover=reconnect a live executor is re-attached (by pid and start time) and given
// executor_reregistration_timeout to subscribe again; a dead one has its tasks settled: updates it left in its
// sandbox (mesos-executor writes them there) are delivered, anything still open fails. With --recover=cleanup
// every recovered container is killed. Container cgroups of live recovered containers are kept (their
// processes stay in them); the others are orphans, removed with --recover=cleanup. Volume mounts in
// sandboxes of containers that are not live are unmounted.
import path from 'node:path';
import type { AgentContext } from './agent-context.js';
import type { ExecutorRunner } from './executor-runner.js';
import { readTextIfExists } from './atomic-file.js';
import type { RecoveredExecutor, RecoveredRun } from './checkpoint.js';
import type { ExecutorRec } from './model.js';
import { isTerminal, newExecutorRec } from './model.js';
import { promises as fs } from 'node:fs';
import { mountPoints, unmountAllUnder } from './mounts.js';

export async function recoverAgent(agent: AgentContext, runner: ExecutorRunner): Promise<void> {
  await agent.volumes.load();
  const latest = (await readTextIfExists(agent.dirs.latestAgentFile()))?.trim();
  if (!latest) return;
  agent.agentId = latest;
  // Inline tasks of non-checkpointing frameworks never outlive their agent.
  for (const r of await agent.checkpointer.inlineRecords()) {
    const c = agent.containerizer.recover(r.containerId, r.pid, r.startTicks);
    if (c) {
      agent.containerizer.killAll(c);
      await c.exited;
    }
    await agent.isolation.destroyCgroup(r.containerId);
    await agent.checkpointer.removeInlineRecord(r.containerId);
  }
  const frameworks = await agent.checkpointer.load(latest, (file, why) => agent.log.error({ file, why }, 'skipping an unreadable checkpoint'));
  let recovered = 0;
  for (const rf of frameworks) {
    if (!rf.info.id) continue;
    for (const re of rf.executors) {
      // Only the newest run of an executor can be live; older ones are history.
      const runs = [...re.runs];
      const newest = runs.pop();
      for (const old of runs) await agent.checkpointer.removeRun(rf.info.id.value, re.info.executor_id.value, old.run.container_id);
      if (!newest) continue;
      const container = agent.containerizer.recover(newest.run.container_id, newest.run.pid, newest.run.start_ticks);
      if (agent.flags.recover === 'cleanup') {
        if (container) {
          agent.containerizer.killAll(container);
          await container.exited;
        }
        await agent.checkpointer.removeRun(rf.info.id.value, re.info.executor_id.value, newest.run.container_id);
        continue;
      }
      const fw = agent.framework(rf.info);
      const ex = rebuildExecutor(agent, fw.id, re, newest);
      ex.gpus = agent.isolation.gpus.restore(ex.containerId, newest.run.gpus ?? []);
      fw.executors.set(ex.id, ex);
      for (const id of ex.tasks.keys()) fw.taskIndex.set(id, ex);
      for (const t of newest.tasks) {
        if (t.updatesText === undefined) continue;
        const updates = agent.sum.recover(fw.id, t.info.task_id.value, t.updatesFile, t.updatesText);
        const task = ex.tasks.get(t.info.task_id.value);
        const last = updates[updates.length - 1];
        if (task && last) {
          task.state = last.state;
          task.statuses = updates.slice(-10);
        }
      }
      // Tasks that never got an update may never have reached the executor: offer them again on SUBSCRIBE.
      ex.queued = newest.tasks.filter((t) => t.updatesText === undefined).map((t) => t.info);
      recovered++;
      if (ex.inline) {
        await runner.inline.recovered(ex, container);
      } else if (container) {
        ex.container = container;
        agent.background(container.exited.then((term) => runner.exited(ex, term)), 'settling an ended executor');
        ex.timer = agent.clock.setTimer(agent.flags.executor_reregistration_timeout_ms, () => {
          if (ex.state !== 'recovering') return;
          agent.log.warn({ executor_id: ex.id }, 'recovered executor did not resubscribe in time; killing it');
          ex.endReason = 'REASON_EXECUTOR_REREGISTRATION_TIMEOUT';
          agent.background(runner.destroy(ex, 0), 'killing a container');
        });
      } else {
        await settleDeadExecutor(agent, runner, ex);
      }
    }
  }
  await releaseLeftovers(agent);
  if (agent.flags.recover === 'cleanup') await fs.rm(path.join(agent.dirs.agentMeta(latest), 'frameworks'), { recursive: true, force: true });
  agent.log.info({ agent_id: latest, executors: recovered, mode: agent.flags.recover }, 'recovered agent state');
}

function rebuildExecutor(agent: AgentContext, fwId: string, re: RecoveredExecutor, run: RecoveredRun): ExecutorRec {
  const ex = newExecutorRec({
    frameworkId: fwId,
    id: re.info.executor_id.value,
    info: re.info,
    kind: re.kind,
    inline: re.inline,
    containerId: run.run.container_id,
    sandbox: run.run.sandbox,
    checkpoint: true,
    state: 'recovering',
    startedAt: agent.clock.now(),
  });
  for (const t of run.tasks) {
    const info = t.info;
    ex.taskInfos.set(info.task_id.value, info);
    ex.tasks.set(info.task_id.value, {
      name: info.name,
      task_id: info.task_id,
      framework_id: { value: fwId },
      ...(re.kind === 'command' ? {} : { executor_id: { value: ex.id } }),
      agent_id: { value: agent.requireAgentId() },
      state: 'TASK_STAGING',
      resources: info.resources ?? [],
      statuses: [],
      ...(info.labels ? { labels: info.labels } : {}),
      ...(info.kill_policy ? { kill_policy: info.kill_policy } : {}),
    });
  }
  return ex;
}

/** The executor ended while the agent was down: exited() delivers what it left behind and fails the rest. */
async function settleDeadExecutor(agent: AgentContext, runner: ExecutorRunner, ex: ExecutorRec): Promise<void> {
  const open = [...ex.tasks.values()].filter((t) => !isTerminal(t.state)).length;
  agent.log.info({ executor_id: ex.id, open_tasks: open }, 'executor ended while the agent was down');
  await runner.exited(ex, { status: undefined, message: 'terminated while the agent was down' });
}

/** Orphan cgroups (no live container of this agent) and volume mounts in sandboxes no live container uses. */
async function releaseLeftovers(agent: AgentContext): Promise<void> {
  const live = [...agent.allExecutors()].filter((ex) => ex.state !== 'terminated');
  const orphans = agent.isolation.orphans(new Set(live.map((ex) => ex.containerId)));
  if (orphans.length > 0 && agent.flags.recover === 'cleanup') {
    for (const id of orphans) await agent.isolation.destroyCgroup(id);
    agent.log.info({ containers: orphans }, 'removed orphan container cgroups');
  } else if (orphans.length > 0) {
    agent.log.warn({ containers: orphans, root: agent.flags.cgroups_root }, 'container cgroups no checkpoint accounts for; --recover=cleanup removes them');
  }
  const sandboxes = live.map((ex) => `${ex.sandbox}/`);
  for (const mp of mountPoints(agent.dirs.sandboxesRoot())) {
    if (sandboxes.some((s) => mp.startsWith(s))) continue;
    const left = await unmountAllUnder(mp);
    if (left.length > 0) agent.log.error({ mounts: left }, 'cannot unmount a volume left in an old sandbox; GC will leave it alone');
  }
}
