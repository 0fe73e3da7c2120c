import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpError, ProblemError } from '../../../src/api/errors';
import { describeNonProblem, parseProblem, problemMessage } from '../../../src/api/problem';
import { caught, connect, createContact, fakeApi, fakeTransport, listCustomers, sandbox, type Sandbox } from './transportHarness';

const API_ERROR = {
  type: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
  title: 'One or more validation errors occurred.',
  status: 400,
  traceId: '00-abc-def-00',
  errors: { Name: ['The Name field is required.'], 'Address.Zip': ['Too long.', 'Not a number.'] },
  data: { ErrorCode: 'Validation' },
};

const RFC9457 = {
  type: 'https://example.com/probs/validation',
  title: 'Your request is not valid.',
  status: 422,
  detail: 'Two fields are wrong.',
  instance: '/crm/v2/tenant/1000/contacts',
  errors: [
    { pointer: '#/name', detail: 'must be a string' },
    { pointer: '#/title', detail: 'is too long' },
  ],
  'invalid-params': [{ name: 'page', reason: 'must be positive' }],
  traceId: 'rfc-trace-1',
  balance: 30,
};

void describe('problem parsing', () => {
  void it('reads ServiceTitan ApiErrorResponse', () => {
    const problem = parseProblem(400, 'application/json', JSON.stringify(API_ERROR));
    assert.ok(problem);
    assert.equal(problem.title, API_ERROR.title);
    assert.equal(problem.status, 400);
    assert.equal(problem.traceId, '00-abc-def-00');
    assert.deepEqual(problem.errors, API_ERROR.errors);
    assert.deepEqual(problem.data, { ErrorCode: 'Validation' });
    assert.equal(
      problemMessage(problem),
      'One or more validation errors occurred. Name: The Name field is required; Address.Zip: Too long; Address.Zip: Not a number. (HTTP 400, trace ID 00-abc-def-00)',
    );
  });

  void it('reads RFC 9457 problem+json, folding errors[] and invalid-params[] into errors', () => {
    const problem = parseProblem(422, 'application/problem+json', JSON.stringify(RFC9457));
    assert.ok(problem);
    assert.equal(problem.detail, 'Two fields are wrong.');
    assert.equal(problem.instance, '/crm/v2/tenant/1000/contacts');
    assert.deepEqual(problem.errors, { '#/name': ['must be a string'], '#/title': ['is too long'], page: ['must be positive'] });
    assert.deepEqual(problem.data, { balance: 30 }, 'extension members are kept');
    assert.match(
      problemMessage(problem),
      /^Your request is not valid\. Two fields are wrong\. #\/name: must be a string; #\/title: is too long; page: must be positive\. \(HTTP 422, trace ID rfc-trace-1\)$/,
    );
  });

  void it('says how many more field errors there are', () => {
    const errors = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`F${i}`, ['bad']]));
    const problem = parseProblem(400, 'application/json', JSON.stringify({ title: 'Bad', status: 400, errors }));
    assert.ok(problem);
    assert.match(problemMessage(problem), /F0: bad; F1: bad; F2: bad \(and 3 more\)\./);
  });

  void it('keeps field names such as __proto__ and constructor as plain keys', () => {
    const problem = parseProblem(400, 'application/problem+json', '{"title":"Bad","errors":{"__proto__":["a"],"constructor":["b"],"toString":"c"}}');
    assert.ok(problem);
    assert.deepEqual(Object.keys(problem.errors), ['__proto__', 'constructor', 'toString']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(problem.errors, '__proto__')?.value, ['a']);
    assert.deepEqual(problem.errors.constructor, ['b']);
    assert.equal(Object.getPrototypeOf(problem.errors), Object.prototype);
    assert.match(problemMessage(problem), /__proto__: a; constructor: b; toString: c/);
  });

  void it('a minimal problem+json with only a status is still a problem', () => {
    const problem = parseProblem(409, 'application/problem+json', '{"status":409}');
    assert.ok(problem);
    assert.equal(problemMessage(problem), 'HTTP 409 Conflict. (HTTP 409)');
  });

  void it('ProblemError.fieldErrors gives each key a location and a path, array rows apart', () => {
    const problem = parseProblem(
      400,
      'application/problem+json',
      JSON.stringify({
        title: 'One or more validation errors occurred.',
        status: 400,
        errors: {
          'Contacts[0].Value': ['Bad 0.'],
          'Contacts[1].Value': ['Bad 1.'],
          id: ["The value 'abc' is not valid."],
          PageSize: ['Too big.'],
          '$.type': ['Not a type.'],
        },
      }),
    );
    assert.ok(problem);
    const request = { method: 'POST', url: 'https://api/x' };
    const error = new ProblemError('m', 400, problem, request, { params: { path: ['id'], query: ['page', 'pageSize'] } });
    assert.deepEqual(error.fieldErrors, [
      { field: 'Contacts[0].Value', message: 'Bad 0.', location: 'body', path: ['Contacts', 0, 'Value'] },
      { field: 'Contacts[1].Value', message: 'Bad 1.', location: 'body', path: ['Contacts', 1, 'Value'] },
      { field: 'id', message: "The value 'abc' is not valid.", location: 'path', path: ['id'] },
      { field: 'PageSize', message: 'Too big.', location: 'query', path: ['PageSize'] },
      { field: '$.type', message: 'Not a type.', location: 'body', path: ['type'] },
    ]);
    // Without the operation's parameter names every key is taken for a body field.
    assert.deepEqual(
      new ProblemError('m', 400, problem, request).fieldErrors.map((f) => f.location),
      ['body', 'body', 'body', 'body', 'body'],
    );
  });

  void it('does not mistake other bodies for problem details', () => {
    assert.equal(parseProblem(502, 'application/json', '{"message":"Bad gateway"}'), undefined);
    assert.equal(parseProblem(400, 'application/json', '{"error":"invalid_client"}'), undefined);
    assert.equal(parseProblem(500, 'text/html', '<html></html>'), undefined);
    assert.equal(parseProblem(500, undefined, ''), undefined);
    assert.equal(parseProblem(500, 'application/json', '[1,2]'), undefined);
  });

  void it('describes non-problem bodies with the status', () => {
    assert.equal(
      describeNonProblem(502, 'application/json', '{"message":"Upstream timed out"}'),
      'HTTP 502 Bad Gateway: Upstream timed out. The server had a problem; try again in a moment.',
    );
    assert.equal(describeNonProblem(404, undefined, ''), 'HTTP 404 Not Found with an empty body. Check the API base URL and the tenant ID.');
    assert.match(
      describeNonProblem(503, 'text/html', '<html><head><title>Down for maintenance</title></head></html>'),
      /^HTTP 503 Service Unavailable: the server sent an HTML page \("Down for maintenance"\) instead of JSON/,
    );
    assert.equal(
      describeNonProblem(400, 'application/json', '{"error":"invalid_request","error_description":"bad"}'),
      'HTTP 400 Bad Request: invalid_request: bad.',
    );
    assert.equal(describeNonProblem(418, 'text/plain', 'short and stout'), "HTTP 418 I'm a Teapot: short and stout");
  });
});

void describe('problem errors over HTTP', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    await sb.close();
  });

  void it('sandbox 400 validation gives ProblemError with field errors and trace ID', async () => {
    const { transport } = connect(sb);
    const bad = createContact('x', { body: { name: 42 } });
    const error = await caught(() => transport.send(bad));
    assert.ok(error instanceof ProblemError, `${error.name}: ${error.message}`);
    assert.equal(error.status, 400);
    assert.ok(error.fieldErrors.length > 0);
    assert.match(error.traceId ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    assert.match(error.message, /HTTP 400, trace ID 00-/);
    assert.equal(error.request.method, 'POST');
    assert.match(error.request.url, /\/contacts$/);
    await transport.close();
  });

  void it('sandbox 404 gives ProblemError with the title', async () => {
    const { transport } = connect(sb);
    const error = await caught(() => transport.send(listCustomers(undefined, { path: '/customers/987654321', operationId: 'Customers_Get' })));
    assert.ok(error instanceof ProblemError, error.message);
    assert.equal(error.status, 404);
    assert.match(error.message, /HTTP 404/);
    await transport.close();
  });

  void it('RFC 9457 from another server gives ProblemError with folded errors', async () => {
    const api = await fakeApi((_req, res) => {
      res.writeHead(422, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify(RFC9457));
    });
    try {
      const { transport } = fakeTransport(api.environment);
      const error = await caught(() => transport.send(createContact('x', { params: { path: [], query: ['page'] } })));
      assert.ok(error instanceof ProblemError, error.message);
      assert.equal(error.status, 422);
      assert.deepEqual(error.fieldErrors, [
        { field: '#/name', message: 'must be a string', location: 'body', path: ['name'] },
        { field: '#/title', message: 'is too long', location: 'body', path: ['title'] },
        { field: 'page', message: 'must be positive', location: 'query', path: ['page'] },
      ]);
      assert.equal(error.traceId, 'rfc-trace-1');
      await transport.close();
    } finally {
      await api.close();
    }
  });

  for (const [label, contentType, body, expected] of [
    [
      'HTML',
      'text/html',
      '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
      /^HTTP 502 Bad Gateway: the server sent an HTML page \("502 Bad Gateway"\) instead of JSON/,
    ],
    [
      'gateway {message}',
      'application/json',
      '{"message":"An unexpected error occurred at the gateway"}',
      /^HTTP 502 Bad Gateway: An unexpected error occurred at the gateway/,
    ],
    ['empty', 'text/plain', '', /^HTTP 502 Bad Gateway with an empty body/],
  ] as const) {
    void it(`non-problem body (${label}) gives HttpError with the status`, async () => {
      const api = await fakeApi((_req, res) => {
        res.writeHead(502, { 'content-type': contentType });
        res.end(body);
      });
      try {
        // POST, so 502 is not retried and we see the body the first time.
        const { transport } = fakeTransport(api.environment);
        const error = await caught(() => transport.send(createContact('x')));
        assert.ok(error instanceof HttpError, `${error.name}: ${error.message}`);
        assert.equal(error.status, 502);
        assert.match(error.message, expected);
        assert.equal(api.requests.length, 2, 'token + one POST');
        await transport.close();
      } finally {
        await api.close();
      }
    });
  }
});
