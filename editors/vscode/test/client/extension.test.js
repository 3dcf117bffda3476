// The client: which command it starts, for which documents, and how it restarts. `vscode` (only
// inside VS Code) is replaced by a stand-in; the language client is the installed one where it
// matters (its TransportKind) and a recorder where the test looks at what the extension hands it.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const Module = require('node:module');

const EXTENSION = require.resolve('../../extension.js');

function vscodeStandIn(settings, record) {
  return {
    workspace: {
      getConfiguration: (section) => {
        record.sections.push(section);
        return { get: (key, fallback) => (key in settings ? settings[key] : fallback) };
      },
      createFileSystemWatcher: (glob) => ({ glob }),
      onDidChangeConfiguration: (listener) => {
        record.onConfig = listener;
        return { dispose() {} };
      },
    },
    commands: {
      registerCommand: (name, fn) => {
        record.commands[name] = fn;
        return { dispose() {} };
      },
    },
    window: { showErrorMessage: (message) => record.errors.push(message) },
  };
}

/** The stand-in, where any other name the real language client reads at load time is a dummy. */
function anythingElse(target) {
  const dummy = {
    get: (t, name) => {
      if (!(name in t)) t[name] = new Proxy(function () {}, dummy);
      return t[name];
    },
  };
  return new Proxy(target, dummy);
}

/** Load extension.js with `vscode` and (unless `realClient`) the language client replaced. */
function load({ settings = {}, failStart = false, realClient = false } = {}) {
  const record = { sections: [], commands: {}, errors: [], clients: [], onConfig: undefined };
  class RecordingClient {
    constructor(id, name, server, client) {
      Object.assign(this, { id, name, server, client, starts: 0, stops: 0 });
      record.clients.push(this);
    }
    async start() {
      this.starts += 1;
      if (failStart) throw new Error('spawn wf ENOENT');
    }
    async stop() {
      this.stops += 1;
    }
  }
  const stubs = { vscode: anythingElse(vscodeStandIn(settings, record)) };
  if (!realClient) {
    stubs['vscode-languageclient/node'] = { LanguageClient: RecordingClient, TransportKind: { stdio: 0 } };
  }
  const original = Module._load;
  Module._load = function (request, ...rest) {
    return Object.prototype.hasOwnProperty.call(stubs, request) ? stubs[request] : original.call(this, request, ...rest);
  };
  delete require.cache[EXTENSION];
  try {
    const extension = require(EXTENSION);
    return { extension, record, real: realClient ? require('vscode-languageclient/node') : undefined };
  } finally {
    Module._load = original;
  }
}

const context = () => ({ subscriptions: [] });

test('activate starts `wf lsp` over stdio for .wf documents', async () => {
  const { extension, record } = load();
  const ctx = context();
  await extension.activate(ctx);
  assert.equal(record.clients.length, 1);
  const client = record.clients[0];
  assert.equal(client.id, 'werkstroom');
  assert.deepEqual(client.server, { command: 'wf', args: ['lsp'], transport: 0 });
  assert.deepEqual(client.client.documentSelector, [
    { scheme: 'file', language: 'werkstroom' },
    { scheme: 'untitled', language: 'werkstroom' },
  ]);
  assert.deepEqual(client.client.synchronize.fileEvents, { glob: '**/*.wf' });
  assert.deepEqual(client.client.initializationOptions, { werkstroom: { enable: true, allowOverlap: false } });
  assert.equal(client.starts, 1);
  assert.deepEqual(record.sections, ['werkstroom']);
  assert.equal(ctx.subscriptions.length, 2);
  assert.ok(record.commands['werkstroom.restartServer']);
});

test('the settings choose the command; its arguments go before `lsp`', () => {
  const { extension } = load();
  const settings = (values) => ({ get: (key, fallback) => (key in values ? values[key] : fallback) });
  assert.deepEqual(extension.serverOptions(settings({ 'server.path': '/venv/bin/python', 'server.args': ['-m', 'werkstroom'] })),
    { command: '/venv/bin/python', args: ['-m', 'werkstroom', 'lsp'], transport: 0 });
  assert.equal(extension.serverOptions(settings({ 'server.path': '  ' })).command, 'wf');
  assert.deepEqual(extension.serverOptions(settings({ 'server.args': 'not a list' })).args, ['lsp']);
});

test('the check settings reach the server and a change of them restarts it', async () => {
  const { extension, record } = load({ settings: { enable: false, allowOverlap: true } });
  await extension.activate(context());
  assert.deepEqual(record.clients[0].client.initializationOptions,
    { werkstroom: { enable: false, allowOverlap: true } });
  await record.onConfig({ affectsConfiguration: (section) => section === 'werkstroom.allowOverlap' });
  assert.equal(record.clients.length, 2);
  await extension.deactivate();
});

test('a change of the server settings restarts the server, other changes do not', async () => {
  const { extension, record } = load({ settings: { 'server.path': '/opt/wf' } });
  await extension.activate(context());
  await record.onConfig({ affectsConfiguration: (section) => section === 'editor.fontSize' });
  assert.equal(record.clients.length, 1);
  await record.onConfig({ affectsConfiguration: (section) => section === 'werkstroom.server' });
  assert.equal(record.clients.length, 2);
  assert.equal(record.clients[0].stops, 1);
  assert.equal(record.clients[1].starts, 1);
  assert.equal(record.clients[1].server.command, '/opt/wf');
  await record.commands['werkstroom.restartServer']();
  assert.equal(record.clients.length, 3);
  assert.equal(record.clients[1].stops, 1);
  await extension.deactivate();
  assert.equal(record.clients[2].stops, 1);
});

test('a server that cannot start is reported with its command', async () => {
  const { extension, record } = load({ failStart: true, settings: { 'server.path': 'nowf' } });
  await extension.activate(context());
  assert.equal(record.errors.length, 1);
  assert.match(record.errors[0], /`nowf lsp`/);
  assert.match(record.errors[0], /spawn wf ENOENT/);
  assert.match(record.errors[0], /werkstroom\.server\.path/);
});

test('the installed language client has what the extension uses', () => {
  const { extension, real } = load({ realClient: true });
  assert.equal(typeof real.LanguageClient, 'function');
  const options = extension.serverOptions({ get: (key, fallback) => fallback });
  assert.equal(options.transport, real.TransportKind.stdio);
});
