/**
 * What the user sees of the server's state: a status-bar item (never hidden while a .plan
 * file is open, so a stopped checker is never mistaken for a clean file), and when to stop
 * restarting a server that keeps crashing. Pure, for the tests (test/status.test.ts).
 */
import { type Lang } from './options';
import { messages } from './messages';

export type ServerState = 'starting' | 'running' | 'stopped' | 'missing';

export interface StatusView {
  /** The status-bar text (with a codicon). */
  text: string;
  tooltip: string;
  /** The command a click runs. */
  command: 'plancheck.showOutput' | 'plancheck.restartServer' | 'plancheck.install';
  /** Shown in the error colours. */
  error: boolean;
}

export function statusView(state: ServerState, lang: Lang): StatusView {
  const m = messages(lang);
  switch (state) {
    case 'running':
      return { text: '$(check) plancheck', tooltip: m.statusRunning, command: 'plancheck.showOutput', error: false };
    case 'starting':
      return { text: '$(sync~spin) plancheck', tooltip: m.statusStarting, command: 'plancheck.showOutput', error: false };
    case 'stopped':
      return { text: `$(error) ${m.labelStopped}`, tooltip: m.statusStopped, command: 'plancheck.restartServer', error: true };
    case 'missing':
      return { text: `$(warning) ${m.labelMissing}`, tooltip: m.statusMissing, command: 'plancheck.install', error: true };
  }
}

/**
 * The diagnostic put on each open .plan file while the server is not running (undefined
 * while it is): the Problems panel then says why it is empty instead of reading as clean.
 */
export function notCheckedMessage(state: ServerState, lang: Lang): string | undefined {
  const m = messages(lang);
  switch (state) {
    case 'stopped':
      return m.notChecked;
    case 'missing':
      return m.notCheckedMissing;
    default:
      return undefined;
  }
}

/**
 * Restart a crashed server, unless it crashed `limit` times within `windowMs`: then give up
 * (and say so, with a restart button). A restart by the user starts a new count.
 */
export class CrashCounter {
  private crashes: number[] = [];
  constructor(
    readonly limit = 4,
    readonly windowMs = 3 * 60 * 1000,
  ) {}
  /** Records a crash at `now`: whether to restart. */
  crashed(now: number): 'restart' | 'give-up' {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs);
    this.crashes.push(now);
    return this.crashes.length >= this.limit ? 'give-up' : 'restart';
  }
  get count(): number {
    return this.crashes.length;
  }
  reset(): void {
    this.crashes = [];
  }
}
