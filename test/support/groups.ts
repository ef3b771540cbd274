import type TestAgent from 'supertest/lib/agent.js';
import { expect } from '@jest/globals';
import { ADMIN_KEY } from './test-app.js';

/** A new group and a member key acting only in it (created with the admin key). */
export async function groupWithMemberKey(http: TestAgent, name: string): Promise<{ groupId: string; key: string }> {
  const group = await http.post('/v1/groups').set('X-API-Key', ADMIN_KEY).send({ name });
  expect(group.status).toBe(201);
  const key = await http
    .post('/v1/api-keys')
    .set('X-API-Key', ADMIN_KEY)
    .send({ name: `${name} member`, role: 'member', group_ids: [group.body.id] });
  expect(key.status).toBe(201);
  return { groupId: group.body.id, key: key.body.key };
}
