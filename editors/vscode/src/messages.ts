/**
 * Every text the extension itself shows (notifications, the status bar, the output channel's
 * notes), in the language the user chose with `plancheck.lang` (Japanese by default). The
 * diagnostics, hovers and rule pages come from the server, in the same language. Pure, for
 * the tests: each message exists in both languages (test/messages.test.ts).
 */
import type { Lang } from './options';

const ja = {
  settingsIgnored: (problems: string) => `plancheck の設定に使えない値があります (無視しました):\n${problems}`,
  openSettings: '設定を開く',
  install: 'インストール方法',
  lookedAt: '探した場所',
  serverNotFound: 'チェッカー本体 (plancheck) が見つかりません。plancheck をインストールするか、設定 plancheck.server.path にその場所を指定してください。',
  serverNotAtSetting: (setting: string) =>
    `設定 plancheck.server.path に指定された「${setting}」に plancheck が見つかりません。パスを確認するか、設定を空にしてください。`,
  couldNotStart: (error: string) => `plancheck の検査サーバーを起動できませんでした: ${error}`,
  crashed: (times: number) =>
    `plancheck の検査サーバーが ${times} 回続けて止まったため、再起動をやめました。.plan ファイルは今、検査されていません (問題が表示されなくても、誤りがないという意味ではありません)。`,
  restart: '再起動',
  showOutput: '出力を表示',
  restarting: 'plancheck の検査サーバーが止まりました。再起動しています…',
  notChecked:
    'plancheck の検査サーバーが止まっているため、このファイルは検査されていません。ステータスバーの「plancheck 停止中」を押すと再起動します。',
  notCheckedMissing:
    'plancheck 本体が見つからないため、このファイルは検査されていません。ステータスバーの「plancheck なし」を押すとインストール方法を開きます。',
  statusRunning: 'plancheck: 検査中 (クリックで出力を表示)',
  statusStarting: 'plancheck: 起動しています…',
  statusStopped: 'plancheck: 停止中 — クリックで再起動',
  statusMissing: 'plancheck: 本体が見つかりません — クリックでインストール方法',
  labelStopped: 'plancheck 停止中',
  labelMissing: 'plancheck なし',
  openPlanFirst: '.plan ファイルを開いてから実行してください。',
  explainFailed: (error: string) => `ルールの一覧を読めませんでした (plancheck explain --list): ${error}`,
  rulePickTitle: 'plancheck: ルールの説明',
  rulePickPlaceholder: 'ルールを選んでください (名前・コード・説明で絞り込めます)',
  badDocsUri: (uri: string) => `読めない URI です: \`${uri}\``,
  explainRunFailed: (rule: string) => `\`plancheck explain ${rule}\` を実行できませんでした:`,
  notFound: 'plancheck が見つかりません',
};

type Messages = typeof ja;

const en: Messages = {
  settingsIgnored: (problems: string) => `Some plancheck settings were ignored:\n${problems}`,
  openSettings: 'Open Settings',
  install: 'How to install',
  lookedAt: 'looked at',
  serverNotFound: 'The plancheck binary was not found: install it, or set plancheck.server.path to its location.',
  serverNotAtSetting: (setting: string) => `plancheck.server.path is set to "${setting}", but no plancheck binary is there.`,
  couldNotStart: (error: string) => `Could not start the plancheck language server: ${error}`,
  crashed: (times: number) =>
    `The plancheck language server stopped ${times} times in a row, so it is not restarted. .plan files are not being checked now (no problems shown does not mean none).`,
  restart: 'Restart',
  showOutput: 'Show Output',
  restarting: 'The plancheck language server stopped. Restarting…',
  notChecked: 'This file is not being checked: the plancheck language server has stopped. Click "plancheck stopped" in the status bar to restart it.',
  notCheckedMissing: 'This file is not being checked: the plancheck binary was not found. Click "plancheck missing" in the status bar for how to install it.',
  statusRunning: 'plancheck: checking (click to show the output)',
  statusStarting: 'plancheck: starting…',
  statusStopped: 'plancheck: stopped — click to restart',
  statusMissing: 'plancheck: binary not found — click for how to install',
  labelStopped: 'plancheck stopped',
  labelMissing: 'plancheck missing',
  openPlanFirst: 'Open a .plan file first.',
  explainFailed: (error: string) => `Could not list the rules (plancheck explain --list): ${error}`,
  rulePickTitle: 'plancheck: rule documentation',
  rulePickPlaceholder: 'Choose a rule (filter by name, code or summary)',
  badDocsUri: (uri: string) => `Not a rule docs URI: \`${uri}\``,
  explainRunFailed: (rule: string) => `Could not run \`plancheck explain ${rule}\`:`,
  notFound: 'plancheck not found',
};

export const MESSAGES: Record<Lang, Messages> = { ja, en };

/** The messages in `lang`. */
export function messages(lang: Lang): Messages {
  return MESSAGES[lang];
}
