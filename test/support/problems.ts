import { expect } from '@jest/globals';
import type { Response } from 'supertest';

const PROBLEM_TYPE = 'https://runloom.dev/problems/';

/**
 * The response is an RFC 9457 problem with a request id: `status` exactly (any 4xx when omitted),
 * and the type `…/problems/<slug>` when a slug is given.
 */
export function expectProblem(res: Response, status?: number, slug?: string): void {
  if (status === undefined) {
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  } else {
    expect(res.status).toBe(status);
  }
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = typeof res.body === 'object' && Object.keys(res.body).length ? res.body : JSON.parse(res.text);
  expect(body.status).toBe(res.status);
  expect(body.type).toMatch(/^https:\/\/runloom\.dev\/problems\//);
  expect(typeof body.title).toBe('string');
  expect(typeof body.request_id).toBe('string');
  expect(body.request_id.length).toBeGreaterThan(0);
  expect(res.headers['x-request-id']).toBe(body.request_id);
  if (slug) expect(body.type).toBe(PROBLEM_TYPE + slug);
}
