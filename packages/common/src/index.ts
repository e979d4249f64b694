// @mesos-ts/common: the small runtime every daemon and SDK shares. No workspace imports (node built-ins only).
export { ManualClock, daemonClock, every, systemClock, type Clock, type Random, type Timer } from './clock.js';
export { TypedEmitter, type Handler } from './emitter.js';
export { silentLogger, type Logger } from './logger.js';
export { TypedError } from './typed-error.js';
