import { afterAll, afterEach, beforeAll } from 'vitest';
import { partnerPair, type PartnerPair } from './fixtures.ts';
import { startTestServer, type TestServer } from './harness.ts';
import { joinRoom, type RoomClient } from './sync-client.ts';

/**
 * What every deal-room suite sets up: the real server (started before the suite, stopped after),
 * acme and globex as partners, and the room clients a test joins, stopped after each test.
 */
export function roomSuite(options: Parameters<typeof startTestServer>[0] = {}) {
  let server: TestServer | undefined;
  let world: PartnerPair | undefined;
  const open: RoomClient[] = [];
  beforeAll(async () => {
    server = await startTestServer(options);
    world = await partnerPair(server);
  });
  const stopAll = () => {
    for (const client of open.splice(0)) client.stop();
  };
  afterEach(stopAll);
  afterAll(() => server?.stop());
  return {
    get server(): TestServer {
      return server!;
    },
    get world(): PartnerPair {
      return world!;
    },
    /** Stops every client joined so far (each test's clients are stopped after it anyway). */
    stopAll,
    /** A stock y-websocket client in the deal's room (of this suite's server unless `url`). */
    join(
      dealId: string,
      token: string,
      options?: Parameters<typeof joinRoom>[3] & { url?: string },
    ): RoomClient {
      const { url = server!.url, ...rest } = options ?? {};
      const client = joinRoom(url, dealId, token, rest);
      open.push(client);
      return client;
    },
  };
}
