// Preloaded with `node --import`: records which module imported which, ES modules (a resolve hook,
// which Node 20 runs on its own thread) and CommonJS (Module._load) alike. The program awaits
// `globalThis.loadedModules()` for the list: [{ specifier, url, parent }].
import Module, { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const records = [];
const { port1, port2 } = new MessageChannel();
port1.on('message', (message) => records.push(message));
port1.unref();

const hook = `
let port;
export const initialize = (data) => { port = data.port; port.on('message', () => port.postMessage('flushed')); };
export const resolve = async (specifier, context, next) => {
  const result = await next(specifier, context);
  port.postMessage({ specifier, url: result.url, parent: context.parentURL ?? null });
  return result;
};`;
register(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { port: port2 }, transferList: [port2] });

const load = Module._load;
Module._load = function (request, parent, isMain) {
  let url = request;
  try {
    url = Module._resolveFilename(request, parent, isMain);
  } catch {}
  records.push({ specifier: request, url, parent: parent?.filename ?? null });
  return load.apply(this, arguments);
};

/** Every load so far: the hook thread's messages arrive in order, so its answer to a flush comes after them. */
globalThis.loadedModules = () =>
  new Promise((resolve) => {
    const flushed = (message) => {
      if (message !== 'flushed') return;
      port1.off('message', flushed);
      port1.unref();
      resolve(records.filter((record) => record !== 'flushed'));
    };
    port1.on('message', flushed);
    port1.ref();
    port1.postMessage('flush');
  });
