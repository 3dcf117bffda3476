// Werkstroom for VS Code: starts the language server (`wf lsp`, over stdio) for .wf files.
//
// The server command comes from the settings: `werkstroom.server.path` (default `wf`, found on the
// PATH) and `werkstroom.server.args` (put before `lsp`; e.g. path `python` and args `["-m",
// "werkstroom"]` run the server of one Python environment). Changing either restarts the server.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

const LANGUAGE = 'werkstroom';
const SECTION = 'werkstroom';

let client;

/**
 * The command that starts the server, read from a settings section (anything with `get(key, default)`).
 * @returns {{command: string, args: string[], transport: number}}
 */
function serverOptions(settings) {
  const configured = settings.get('server.path', 'wf');
  const command = typeof configured === 'string' && configured.trim() !== '' ? configured.trim() : 'wf';
  const extra = settings.get('server.args', []);
  const args = Array.isArray(extra) ? extra.filter((a) => typeof a === 'string') : [];
  return { command, args: [...args, 'lsp'], transport: TransportKind.stdio };
}

/**
 * What the client sends to the server: .wf files on disk and unsaved ones, and the check settings
 * (`werkstroom.enable`, `werkstroom.allowOverlap`) as initialization options.
 */
function clientOptions(settings) {
  return {
    initializationOptions: {
      werkstroom: {
        enable: settings.get('enable', true) !== false,
        allowOverlap: settings.get('allowOverlap', false) === true,
      },
    },
    documentSelector: [
      { scheme: 'file', language: LANGUAGE },
      { scheme: 'untitled', language: LANGUAGE },
    ],
    synchronize: {
      // the other .wf files of the workspace take part in the overlap checks
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.wf'),
    },
  };
}

async function start() {
  const settings = vscode.workspace.getConfiguration(SECTION);
  client = new LanguageClient(LANGUAGE, 'Werkstroom', serverOptions(settings), clientOptions(settings));
  try {
    await client.start();
  } catch (err) {
    const { command, args } = serverOptions(settings);
    vscode.window.showErrorMessage(
      `Werkstroom: could not start the language server \`${[command, ...args].join(' ')}\` ` +
        `(${err && err.message ? err.message : err}). Set "werkstroom.server.path" to your wf command.`,
    );
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

async function restart() {
  await stop();
  await start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('werkstroom.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (['server', 'enable', 'allowOverlap'].some((key) => event.affectsConfiguration(`${SECTION}.${key}`))) {
        return restart();
      }
      return undefined;
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate, serverOptions };
