import assert from 'node:assert/strict';
import { createEndpointServer } from '../../../src/server/create-endpoint-server';
import { generateEndpointToken } from '../../../src/server/generate-endpoint-token';
import { rawRequest } from '../../support/endpoint-raw-request';
import { createEndpointTestEngine } from '../../support/endpoint-test-engine';

const silentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('endpoint tokens can change while it serves', () => {
  it('says it is Perpetuo on /health, so another window can tell it from any other program', async () => {
    const server = createEndpointServer({ engine: createEndpointTestEngine(), tokens: [{ name: 'a', token: generateEndpointToken() }], port: 0, logger: silentLogger });
    const { port } = await server.listen();
    try {
      const reply = await rawRequest(port, { method: 'GET', path: '/health' });
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.json, { status: 'ok', service: 'perpetuo' });
    } finally {
      await server.close();
    }
  });

  it('refuses a rotated token at once and accepts the new one, without a restart', async () => {
    const old = generateEndpointToken();
    const fresh = generateEndpointToken();
    const server = createEndpointServer({ engine: createEndpointTestEngine(), tokens: [{ name: 'aider', token: old }], port: 0, logger: silentLogger });
    const { port } = await server.listen();
    const models = (token: string) => rawRequest(port, { method: 'GET', path: '/v1/models', headers: { authorization: `Bearer ${token}` } });
    try {
      assert.equal((await models(old)).status, 200);
      server.setTokens([{ name: 'aider', token: fresh }]);
      assert.equal((await models(old)).status, 401);
      assert.equal((await models(fresh)).status, 200);
      assert.equal(server.address?.port, port, 'same server, same port');
      assert.throws(() => server.setTokens([{ name: 'aider', token: 'ppt_short' }]), /too weak/);
    } finally {
      await server.close();
    }
  });
});
