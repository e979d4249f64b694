// Task health checks (COMMAND, HTTP, TCP) with upstream's delay/interval/timeout/grace/consecutive-failure rules.
export { HealthChecker } from './health-checker.js';
