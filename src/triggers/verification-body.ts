import { type FieldProblem, ValidationProblem } from '../common/problem.js';
import type { TriggerVerificationBody } from './dto/trigger.dto.js';
import { DEFAULT_TOLERANCE_SECONDS, type Verification } from './trigger-verification.js';

/** The fields each scheme takes besides `type`; any other field given is a 422. */
const FIELDS: Record<Verification['type'], readonly (keyof TriggerVerificationBody)[]> = {
  none: ['id_header'],
  standard_webhooks: ['tolerance_seconds'],
  github: [],
  stripe: ['tolerance_seconds'],
  hmac: ['header', 'algorithm', 'encoding', 'prefix', 'id_header'],
};

const HMAC_REQUIRED = ['header', 'algorithm', 'encoding'] as const;

/** The verification a create body asks for, as stored; 422 naming every field that does not fit its type. */
export function parseVerification(body: TriggerVerificationBody): Verification {
  const allowed = FIELDS[body.type];
  const problems: FieldProblem[] = [];
  for (const [field, value] of Object.entries(body)) {
    if (field === 'type' || value === undefined || value === null) continue;
    if (!allowed.includes(field as keyof TriggerVerificationBody)) {
      problems.push({ field: `verification.${field}`, message: `does not apply to verification type ${body.type}` });
    }
  }
  if (body.type === 'hmac') {
    for (const field of HMAC_REQUIRED) {
      if (body[field] === undefined || body[field] === null) {
        problems.push({ field: `verification.${field}`, message: 'is required for verification type hmac' });
      }
    }
  }
  if (problems.length > 0) throw new ValidationProblem(problems);
  switch (body.type) {
    case 'none':
      return body.id_header ? { type: 'none', id_header: body.id_header } : { type: 'none' };
    case 'github':
      return { type: 'github' };
    case 'standard_webhooks':
    case 'stripe':
      return { type: body.type, tolerance_seconds: body.tolerance_seconds ?? DEFAULT_TOLERANCE_SECONDS };
    case 'hmac':
      return {
        type: 'hmac',
        header: body.header!,
        algorithm: body.algorithm!,
        encoding: body.encoding!,
        ...(body.prefix ? { prefix: body.prefix } : {}),
        ...(body.id_header ? { id_header: body.id_header } : {}),
      };
  }
}
