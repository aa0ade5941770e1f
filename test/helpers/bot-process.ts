import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BotProcess {
  url: string;
  child: ChildProcess;
  /** Ends the process the hard way, as a crash or an OOM kill would. */
  kill9(): Promise<void>;
}

/** Starts `bot/main.ts` as a real child process and waits until it listens. */
export async function spawnBot(env: Record<string, string>): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SIM: 'off', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (d) => stderr.push(String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start: ${stderr.join('')}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`bot exited with ${code}: ${stderr.join('')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('on-call bot started')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line).url);
    });
  });
  return {
    url,
    child,
    async kill9() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A console message as the bot's console API lists it (only what these helpers read). */
interface ConsoleMessage {
  author: string;
  card: Record<string, unknown> | null;
  text: string;
}

/**
 * Types `text` in a running bot's console as alice and waits for the bot's answer (the process
 * delivers on its own loop, so this polls the console API).
 */
export async function sayToConsole<M extends ConsoleMessage>(url: string, text: string): Promise<M> {
  const messages = async () => (await (await fetch(`${url}/api/console/messages`)).json()) as M[];
  const before = (await messages()).length;
  const res = await fetch(`${url}/api/console/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'alice', text }),
  });
  if (res.status !== 202) throw new Error(`console refused "${text}": HTTP ${res.status}`);
  for (let i = 0; i < 200; i++) {
    const answer = (await messages()).slice(before).find((m) => m.author === 'bot');
    if (answer) return answer;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no answer to ${text}`);
}
