// Two workers sharing one store over a BroadcastChannel:
//   node --import tsx examples/broadcast-channel/main.ts
// Worker 1 hosts the core and writes; worker 2 subscribes and reads its local mirror. The main
// thread only says when to act, so the output comes in a fixed order.
import { inbox, startWorker } from './start-worker.ts';

const writer = startWorker(new URL('./writer.ts', import.meta.url));
const fromWriter = inbox(writer);
console.log(await fromWriter());
const reader = startWorker(new URL('./reader.ts', import.meta.url));
const fromReader = inbox(reader);
const ended = Promise.all([writer, reader].map((worker) => new Promise((resolve) => worker.once('exit', resolve))));
console.log(await fromReader()); // the subscription's init

for (const command of ['create', 'update']) {
  writer.postMessage(command);
  console.log(await fromWriter());
  console.log(await fromReader());
}
reader.postMessage('stop');
console.log(await fromReader());
writer.postMessage('stop');
await ended;
console.log('both workers ended on their own');
