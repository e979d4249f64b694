// Cluster health as the executor reports it and the web page colours it.
export type HealthColour = 'green' | 'yellow' | 'red' | 'unknown';

export function parseHealthColour(status: unknown): HealthColour {
  return status === 'green' || status === 'yellow' || status === 'red' ? status : 'unknown';
}

/** A node has joined when the cluster answers with a colour and counts at least `expected` nodes. */
export function hasJoined(health: { status?: unknown; number_of_nodes?: unknown }, expected: number): boolean {
  return parseHealthColour(health.status) !== 'unknown' && typeof health.number_of_nodes === 'number' && health.number_of_nodes >= expected;
}
