// The executor agents run, served by the scheduler as kafka-mesos serves its own jar: framework-kit's executor
// bundle of this package (its built code and runtime node_modules closure, streamed with tar on each fetch),
// extracted into the sandbox and run as `node kafka-mesos/node_modules/@mesos-ts/kafka/dist/bin/kafka-mesos.js
// executor`. A bundle that cannot be made is a KafkaError saying what to install or build.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { executorBundle as frameworkBundle, type ExecutorBundle } from '@mesos-ts/framework-kit';
import { KafkaError } from '../domain/errors.js';

export { bundleTarArgs, type ExecutorBundle } from '@mesos-ts/framework-kit';

/** The bundle of the installation this module runs from (it must be built: dist/). */
export function executorBundle(packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')): ExecutorBundle {
  try {
    return frameworkBundle({ packageName: '@mesos-ts/kafka', packageDir, top: 'kafka-mesos', bin: 'dist/bin/kafka-mesos.js' });
  } catch (e) {
    throw new KafkaError('UNAVAILABLE', (e as Error).message);
  }
}
