import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDispatcher } from '../../../src/api/dispatcher';
import { customEnvironment } from '../../../src/api/environments';
import { NetworkError } from '../../../src/api/errors';
import { caught, connect, fakeTransport, listCustomers, loopback, sandbox, type Sandbox } from './transportHarness';

interface TestProxy {
  url: string;
  /** Requests the proxy handled: CONNECT tunnels and plain forwarded requests. */
  hits: string[];
  close(): Promise<void>;
}

async function startProxy(options: { requireAuth?: boolean } = {}): Promise<TestProxy> {
  // `proxy` is ESM-only; a dynamic import works from our CommonJS tests.
  const { createProxy } = await import('proxy');
  const server = createProxy(createHttpServer());
  if (options.requireAuth) server.authenticate = () => false;
  const hits: string[] = [];
  server.on('connect', (req: { url?: string }) => hits.push(`CONNECT ${req.url ?? ''}`));
  server.on('request', (req: { method?: string; url?: string }) => hits.push(`${req.method ?? ''} ${req.url ?? ''}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, hits, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

void describe('proxy', () => {
  let sb: Sandbox;
  let proxy: TestProxy;
  before(async () => {
    sb = await sandbox();
    proxy = await startProxy();
  });
  after(async () => {
    await proxy.close();
    await sb.close();
  });

  void it('an explicit proxy URL carries token and API requests', async () => {
    proxy.hits.length = 0;
    const { transport } = connect(sb, { proxy: { url: proxy.url, env: {} } });
    const page = await transport.send(listCustomers());
    assert.equal(page.data.length, 5);
    const target = new URL(sb.url).host;
    assert.ok(proxy.hits.length >= 1, 'the proxy saw the traffic');
    assert.ok(
      proxy.hits.every((hit) => hit.includes(target)),
      proxy.hits.join(', '),
    );
    assert.equal(sb.stats().tokenRequests > 0, true);
    await transport.close();
  });

  void it('NO_PROXY (or http.noProxy) bypasses the explicit proxy', async () => {
    proxy.hits.length = 0;
    const { transport } = connect(sb, { proxy: { url: proxy.url, noProxy: ['localhost', '127.0.0.1'], env: {} } });
    await transport.send(listCustomers());
    assert.deepEqual(proxy.hits, []);
    await transport.close();
  });

  void it('HTTP_PROXY from the environment is used, and NO_PROXY from the environment respected', async () => {
    proxy.hits.length = 0;
    const via = connect(sb, { proxy: { env: { HTTP_PROXY: proxy.url } } });
    await via.transport.send(listCustomers());
    assert.ok(proxy.hits.length >= 1);
    await via.transport.close();

    proxy.hits.length = 0;
    const bypass = connect(sb, { proxy: { env: { http_proxy: proxy.url, NO_PROXY: `example.com, 127.0.0.1:${new URL(sb.url).port}` } } });
    await bypass.transport.send(listCustomers());
    assert.deepEqual(proxy.hits, []);
    await bypass.transport.close();
  });

  void it('HTTPS_PROXY alone leaves plain http:// calls direct', async () => {
    proxy.hits.length = 0;
    const { transport } = connect(sb, { proxy: { env: { HTTPS_PROXY: proxy.url } } });
    const page = await transport.send(listCustomers());
    assert.equal(page.data.length, 5);
    assert.deepEqual(proxy.hits, []);
    await transport.close();
  });

  void it('proxyFor names the proxy a URL goes through', () => {
    const d = createDispatcher({ env: { HTTPS_PROXY: 'http://p:3128', NO_PROXY: '.internal.example,localhost' } });
    assert.equal(d.proxyFor('https://api.servicetitan.io/x'), 'http://p:3128');
    assert.equal(d.proxyFor('http://api.servicetitan.io/x'), undefined, 'HTTP_PROXY is not set');
    assert.equal(d.proxyFor('https://svc.internal.example/x'), undefined);
    assert.equal(d.proxyFor('https://localhost:8443/x'), undefined);
    void d.close();
    const star = createDispatcher({ url: 'http://p:3128', noProxy: '*', env: {} });
    assert.equal(star.proxyFor('https://api.servicetitan.io'), undefined);
    void star.close();
    assert.throws(() => createDispatcher({ url: 'ftp://p' }), /must start with http/);
    assert.throws(() => createDispatcher({ url: 'not a url' }), /proxy URL "not a url" is not valid/);
  });

  void it('an unreachable proxy is named in the error', async () => {
    const dead = await loopback(() => undefined);
    await dead.close();
    const { transport } = connect(sb, { proxy: { url: dead.url, env: {} } });
    const error = await caught(() => transport.send(listCustomers()));
    assert.ok(error instanceof NetworkError, error.message);
    assert.equal(error.code, 'ECONNREFUSED');
    assert.match(error.message, new RegExp(`Could not reach the proxy 127\\.0\\.0\\.1:${dead.port}`));
    assert.match(error.message, /http\.proxy/);
    await transport.close();
  });

  void it('a proxy that wants credentials says so', async () => {
    const locked = await startProxy({ requireAuth: true });
    try {
      const { transport } = connect(sb, { proxy: { url: locked.url, env: {} } });
      const error = await caught(() => transport.send(listCustomers()));
      assert.ok(error instanceof NetworkError, `${error.name}: ${error.message}`);
      assert.match(error.message, /asks for proxy credentials/);
      await transport.close();
    } finally {
      await locked.close();
    }
  });
});

void describe('TLS and strict SSL', () => {
  let dir: string;
  let https: ReturnType<typeof createHttpsServer>;
  let base: string;
  let proxy: TestProxy;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stcrm-tls-'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'],
      { stdio: 'ignore' },
    );
    https = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          req.url === '/connect/token'
            ? JSON.stringify({ access_token: 'tls-token-1234', expires_in: 900 })
            : JSON.stringify({ page: 1, pageSize: 5, hasMore: false, data: [] }),
        );
      });
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
    proxy = await startProxy();
  });
  after(async () => {
    await proxy.close();
    https.closeAllConnections();
    await new Promise<void>((resolve) => https.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  void it('a self-signed certificate is refused with an actionable message', async () => {
    const { transport } = fakeTransport(customEnvironment(base, `${base}/connect/token`), { proxy: { env: {} } });
    const error = await caught(() => transport.send(listCustomers()));
    assert.ok(error instanceof NetworkError, error.message);
    assert.equal(error.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.match(error.message, /self-signed certificate/);
    assert.match(error.message, /NODE_EXTRA_CA_CERTS/);
    assert.match(error.message, /http\.proxyStrictSSL/);
    await transport.close();
  });

  void it('strictSSL: false accepts it, directly and through a proxy tunnel', async () => {
    const direct = fakeTransport(customEnvironment(base, `${base}/connect/token`), { proxy: { strictSSL: false, env: {} } });
    assert.deepEqual((await direct.transport.send(listCustomers())).data, []);
    await direct.transport.close();

    proxy.hits.length = 0;
    const tunnelled = fakeTransport(customEnvironment(base, `${base}/connect/token`), { proxy: { url: proxy.url, strictSSL: false, env: {} } });
    assert.deepEqual((await tunnelled.transport.send(listCustomers())).data, []);
    assert.ok(
      proxy.hits.some((hit) => hit.startsWith('CONNECT 127.0.0.1:')),
      proxy.hits.join(', '),
    );
    await tunnelled.transport.close();
  });
});
