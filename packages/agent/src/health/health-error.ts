// A HealthCheck the agent cannot run. The agent refuses the task (TASK_ERROR) with this message.

export class HealthCheckError extends Error {
  override readonly name = 'HealthCheckError';
  readonly code = 'INVALID_HEALTH_CHECK';
}
