// The command the extension builds starts a language server that answers: initialize, open a .wf
// document with an unknown event, receive its diagnostics (code WF201), shut down. The settings come
// from WERKSTROOM_SERVER_PATH and WERKSTROOM_SERVER_ARGS (a JSON list), as a user would set them.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const Module = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const rpc = require('vscode-jsonrpc/node');

function serverOptions() {
  const settings = {
    'server.path': process.env.WERKSTROOM_SERVER_PATH || 'wf',
    'server.args': JSON.parse(process.env.WERKSTROOM_SERVER_ARGS || '[]'),
  };
  const stubs = {
    vscode: {},
    'vscode-languageclient/node': { LanguageClient: class {}, TransportKind: { stdio: 0 } },
  };
  const original = Module._load;
  Module._load = function (request, ...rest) {
    return Object.prototype.hasOwnProperty.call(stubs, request) ? stubs[request] : original.call(this, request, ...rest);
  };
  try {
    const extension = require('../../extension.js');
    return extension.serverOptions({ get: (key, fallback) => (key in settings ? settings[key] : fallback) });
  } finally {
    Module._load = original;
  }
}

test('the configured server publishes diagnostics for an open .wf document', { timeout: 60000 }, async () => {
  const { command, args } = serverOptions();
  assert.equal(args[args.length - 1], 'lsp');
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const published = new Promise((resolve) => {
    connection.onNotification('textDocument/publishDiagnostics', (params) => {
      if (params.diagnostics.length > 0) resolve(params);
    });
  });
  connection.listen();
  const folder = path.resolve(__dirname);
  const result = await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(folder).href,
    workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'e2e' }],
    capabilities: {},
  });
  assert.ok(result.capabilities, 'the server states its capabilities');
  await connection.sendNotification('initialized', {});
  const uri = pathToFileURL(path.join(folder, 'broken.wf')).href;
  await connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'werkstroom', version: 1,
      text: 'on PurchaseDocSentForAproval then release document\n' },
  });
  const params = await published;
  assert.equal(params.uri, uri);
  assert.ok(params.diagnostics.some((d) => d.code === 'WF201'), JSON.stringify(params.diagnostics));
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  assert.equal(await exited, 0);
  connection.dispose();
});
