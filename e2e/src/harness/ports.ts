// A free TCP port on 127.0.0.1, for daemons a test starts with an explicit port. It is picked from 12000-29999:
// below the kernel's ephemeral range (32768+ by default), so no listen(0) and no outgoing connection of any
// process can take it between this check and the daemon's bind (a port from listen(0) once went to another socket
// before the daemon bound it), and below the ranges mesos-local's agents offer to tasks (31000+).
import net from 'node:net';

const LOW = 12_000;
const HIGH = 30_000;
const handedOut = new Set<number>();

function tryBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    // Never the same port twice in one test process, even once its first user has closed it.
    if (handedOut.has(port) || !(await tryBind(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port found between ${LOW} and ${HIGH} on 127.0.0.1 after 200 tries`);
}
