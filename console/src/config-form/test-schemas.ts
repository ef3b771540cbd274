/** Schemas as GET /v1/nodes gives them (trimmed to what the form reads), for the form's tests. */
import type { JsonSchema } from '../types';

export const HTTP_REQUEST: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    method: { type: 'string', enum: ['GET', 'POST', 'PUT'], default: 'GET', description: 'HTTP method.' },
    url: { type: 'string', minLength: 1, maxLength: 8192, description: 'http:// or https:// URL, a template.' },
    headers: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Request headers; each value is a template.',
    },
    body: { type: 'string', maxLength: 100000, description: 'Request body, a template.' },
    timeout_ms: { type: 'integer', minimum: 1, maximum: 120000, default: 30000, description: 'Per exchange.' },
    fail_on_error_status: { type: 'boolean', default: false },
    idempotency_header: {
      type: ['string', 'null'],
      pattern: '^[A-Za-z-]+$',
      maxLength: 256,
      default: 'Idempotency-Key',
    },
  },
};

export const CODE: JsonSchema = {
  type: 'object',
  required: ['code'],
  properties: {
    code: { type: 'string', minLength: 1, maxLength: 100000, description: 'JavaScript function body.' },
    inputs: {
      type: 'array',
      items: { type: 'string' },
      default: [],
      description: 'Input names: unique JavaScript identifiers; each becomes a required input.',
    },
  },
};

export const TEXT_GENERATION: JsonSchema = {
  type: 'object',
  required: ['template'],
  properties: {
    template: { type: 'string', minLength: 1, maxLength: 100000, description: 'The user prompt, a template.' },
    model: { type: 'string', minLength: 1, maxLength: 200 },
    system: { type: 'string', maxLength: 100000, description: 'System prompt, a template like `template`.' },
    temperature: { type: 'number', minimum: 0, maximum: 2 },
  },
};

export const POLICY: JsonSchema = {
  type: 'object',
  properties: {
    retry: {
      type: 'object',
      description: 'Runs the node again when it fails.',
      additionalProperties: false,
      properties: {
        max_attempts: { type: 'integer', minimum: 1, maximum: 20, default: 3 },
        max_interval_ms: { type: 'integer', minimum: 0, default: 60000 },
        retry_on: { type: 'array', items: { type: 'string' }, description: 'Retry only these error types.' },
      },
    },
    timeout_ms: { type: 'integer', minimum: 1, maximum: 3600000 },
    on_error: { enum: ['fail', 'continue', 'default'], default: 'fail' },
    default_outputs: { type: 'object', description: 'With on_error "default".' },
  },
};
