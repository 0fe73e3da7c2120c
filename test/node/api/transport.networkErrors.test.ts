import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeNetworkError, errorCode } from '../../../src/api/networkErrors';

function nodeError(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`connect ${code}`), { code, ...extra });
}

const api = { url: 'https://api.servicetitan.io/crm/v2/tenant/1/customers' };

void describe('network error messages say what to do', () => {
  const cases: [string, RegExp][] = [
    ['ECONNREFUSED', /connection was refused \(ECONNREFUSED\)\. Check the URL and port/],
    ['ENOTFOUND', /Could not find the host api\.servicetitan\.io \(ENOTFOUND\)\. Check the URL for typos/],
    ['EAI_AGAIN', /Could not find the host .* \(EAI_AGAIN\)/],
    ['ETIMEDOUT', /Could not reach api\.servicetitan\.io \(ETIMEDOUT\).*VPN or firewall/],
    ['UND_ERR_CONNECT_TIMEOUT', /\(UND_ERR_CONNECT_TIMEOUT\)/],
    ['ECONNRESET', /closed before a complete answer arrived \(ECONNRESET\)\. This is usually temporary; try again/],
    ['UND_ERR_SOCKET', /closed before a complete answer arrived \(UND_ERR_SOCKET\)/],
    ['CERT_HAS_EXPIRED', /expired or not yet valid \(CERT_HAS_EXPIRED\)\. Check your computer's clock/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', /self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\).*NODE_EXTRA_CA_CERTS/],
    ['SELF_SIGNED_CERT_IN_CHAIN', /self-signed certificate \(SELF_SIGNED_CERT_IN_CHAIN\)/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /could not be verified \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): its issuer is not trusted/],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', /could not be verified \(UNABLE_TO_GET_ISSUER_CERT_LOCALLY\)/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', /for a different host name \(ERR_TLS_CERT_ALTNAME_INVALID\)/],
    ['ERR_SSL_WRONG_VERSION_NUMBER', /secure connection .* could not be established \(ERR_SSL_WRONG_VERSION_NUMBER\)/],
    ['EWHATEVER', /failed before an answer arrived \(EWHATEVER\).*Check your network connection/],
  ];
  for (const [code, expected] of cases) {
    void it(code, () => {
      const described = describeNetworkError(nodeError(code), api);
      assert.equal(described.code, code);
      assert.match(described.message, expected);
    });
  }

  void it('names the token endpoint when the token request failed', () => {
    const { message } = describeNetworkError(nodeError('ECONNREFUSED'), { url: 'https://auth.servicetitan.io/connect/token', target: 'token' });
    assert.match(message, /the ServiceTitan token endpoint \(auth\.servicetitan\.io\)/);
  });

  void it('finds codes in cause chains and AggregateErrors (happy eyeballs)', () => {
    const wrapped = new TypeError('fetch failed', { cause: nodeError('ENOTFOUND') });
    assert.equal(errorCode(wrapped), 'ENOTFOUND');
    const aggregate = Object.assign(new AggregateError([nodeError('ECONNREFUSED'), nodeError('ECONNREFUSED')], 'x'), {});
    assert.equal(errorCode(aggregate), 'ECONNREFUSED');
  });

  void it('blames the proxy when the proxy itself is unreachable', () => {
    const { message } = describeNetworkError(nodeError('ECONNREFUSED', { port: 3128 }), { ...api, proxy: 'http://proxy.corp:3128' });
    assert.match(message, /Could not reach the proxy proxy\.corp:3128 \(ECONNREFUSED\)/);
    const other = describeNetworkError(nodeError('ECONNRESET', { port: 443 }), { ...api, proxy: 'http://proxy.corp:3128' });
    assert.match(other.message, /went through the proxy proxy\.corp:3128/);
  });

  void it('explains a refused proxy tunnel', () => {
    const refused = Object.assign(new Error('Proxy response (403) !== 200 when HTTP Tunneling'), { code: 'UND_ERR_ABORTED' });
    const { message } = describeNetworkError(refused, { ...api, proxy: 'http://proxy.corp:3128' });
    assert.match(message, /The proxy proxy\.corp:3128 refused to connect to api\.servicetitan\.io: it answered 403/);
  });
});
