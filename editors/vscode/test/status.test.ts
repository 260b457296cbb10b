import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../src/messages';
import { CrashCounter, notCheckedMessage, statusView } from '../src/status';

describe('statusView', () => {
  it('shows a stopped or missing server in the error colours, with what a click does', () => {
    expect(statusView('running', 'ja')).toMatchObject({ text: '$(check) plancheck', error: false, command: 'plancheck.showOutput' });
    expect(statusView('stopped', 'ja')).toMatchObject({ text: '$(error) plancheck 停止中', error: true, command: 'plancheck.restartServer' });
    expect(statusView('missing', 'en')).toMatchObject({ text: '$(warning) plancheck missing', error: true, command: 'plancheck.install' });
    expect(statusView('starting', 'ja').tooltip).toBe('plancheck: 起動しています…');
  });
});

describe('notCheckedMessage', () => {
  it('gives the Problems panel a note only while nothing checks the files', () => {
    expect(notCheckedMessage('running', 'ja')).toBeUndefined();
    expect(notCheckedMessage('starting', 'ja')).toBeUndefined();
    expect(notCheckedMessage('stopped', 'ja')).toMatch(/検査されていません/);
    expect(notCheckedMessage('missing', 'en')).toMatch(/not being checked/);
  });
});

describe('CrashCounter', () => {
  it('restarts until the limit within the window, then gives up; old crashes are forgotten', () => {
    const c = new CrashCounter(3, 1000);
    expect(c.crashed(0)).toBe('restart');
    expect(c.crashed(100)).toBe('restart');
    expect(c.crashed(200)).toBe('give-up');
    c.reset();
    expect(c.crashed(300)).toBe('restart');
    expect(c.crashed(2000)).toBe('restart');
    expect(c.count).toBe(1);
  });
});

describe('messages', () => {
  it('has every message in both languages, the Japanese ones in Japanese', () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES.ja).sort());
    for (const [key, value] of Object.entries(MESSAGES.ja)) {
      const text = typeof value === 'function' ? (value as (a: string | number) => string)('x') : value;
      expect(text, key).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    }
  });
});
