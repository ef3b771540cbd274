import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConflictResponse,
  ApiExtraModels,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
  type ExamplesObject,
} from '@nestjs/swagger';
import { API_TAGS } from '../openapi/api-tags.js';
import { RunResponse } from './dto/run.dto.js';
import { LOCATION_HEADER } from './run-location.js';
import { GroupIdInBody } from '../auth/auth.decorator.js';
import { RunCallbackBody } from './dto/run-callback.dto.js';
import { CreateRunBody } from './dto/create-run.dto.js';
import { RUN_EXAMPLES } from '../openapi/request-examples.js';

/**
 * What both run-creating endpoints share: the body, its group, headers. (Their `@ApiOperation`, with
 * the callback they may send, stays on each method: the Swagger plugin replaces one it cannot see.)
 */
export function RunCreation(): MethodDecorator {
  return applyDecorators(GroupIdInBody(), ApiBody({ type: CreateRunBody, examples: RUN_EXAMPLES }), runHeaders());
}

/** What retry and replay share: their body, headers and answers (the source run's group is theirs). */
export function DerivedRunCreation(body: Type, examples: ExamplesObject): MethodDecorator {
  return applyDecorators(
    ApiTags(API_TAGS.runs.name),
    ApiBody({ type: body, examples }),
    runHeaders(),
    ApiOkResponse({ type: RunResponse, description: '`mode=sync`: the new run, finished.' }),
    ApiAcceptedResponse({
      type: RunResponse,
      description:
        'The new run, queued (`mode=async`) or still going after the wait limit (`mode=sync`); poll Location.',
      headers: LOCATION_HEADER,
    }),
    ApiNotFoundResponse({ description: 'No such run in the group, or no such version of its workflow.' }),
    ApiUnprocessableEntityResponse({ description: 'Invalid body, input or from_node_ids.' }),
  );
}

function runHeaders(): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(RunCallbackBody),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        '1–255 visible ASCII characters. The same key and request within 24 h answers with the same run ' +
        'instead of starting another; the same key with a different request is a 422.',
    }),
    ApiHeader({
      name: 'traceparent',
      required: false,
      description: 'W3C trace context: with `tracing: true` the run’s trace joins this trace.',
    }),
    ApiConflictResponse({ description: 'A run with this Idempotency-Key was being replaced at this moment; retry.' }),
    ApiTooManyRequestsResponse({
      description:
        'The key is over its rate limit, or the group has its `max_active_runs` runs queued or running ' +
        '(type `…/problems/limit-exceeded/max_active_runs`, with `limit`, `value`, `current`). Retry after ' +
        '`Retry-After` seconds.',
    }),
  );
}
