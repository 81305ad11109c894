// Starts the real CLI (`adapters/cli.ts` under tsx) on a free port and resolves once it says where it
// serves; a server that exits first rejects with its stderr. For tests that kill or measure the process.
import { spawn, type ChildProcess } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;

export const startCli = (args: readonly string[], env: Readonly<Record<string, string>> = {}) =>
  new Promise<{ child: ChildProcess; port: number }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/cli.ts', ...args, '--port', '0', '--heartbeat', '0'], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /127\.0\.0\.1:(\d+)\/websocket/.exec(out);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk));
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before serving: ${err}`)));
  });
