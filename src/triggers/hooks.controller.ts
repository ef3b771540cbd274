import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { API_TAGS } from '../openapi/api-tags.js';
import { RUN_FINISHED_CALLBACK } from '../runs/dto/run-callback.dto.js';
import { RunResponse, toRunResponse } from '../runs/dto/run.dto.js';
import { LOCATION_HEADER, runLocation } from '../runs/run-location.js';
import { TriggerDeliveries } from './trigger-deliveries.js';
import { NoApiKey } from '../auth/auth.decorator.js';

/**
 * The URL a webhook trigger gives a third party: no API key, the unguessable token is the
 * credential and the sender's signature over the raw body proves the delivery (docs/triggers.md).
 */
@NoApiKey()
@Controller('v1/hooks/:token')
export class HooksController {
  constructor(private readonly deliveries: TriggerDeliveries) {}

  /**
   * Starts a run of the trigger's workflow with the input its `input_mapping` makes of the delivery.
   * A `sync` trigger answers as `POST …/runs/sync` (200 with the finished run, 202 + Location past
   * the wait); an `async` one as `POST …/runs` (202 + Location).
   */
  @Post()
  @HttpCode(200)
  @ApiTags(API_TAGS.triggers.name)
  @ApiOperation({
    operationId: 'deliverWebhook',
    summary: 'Deliver a webhook to a trigger (no API key)',
    security: [],
    callbacks: RUN_FINISHED_CALLBACK,
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded', 'text/plain')
  @ApiBody({
    required: false,
    description: 'Whatever the sender sends (up to TRIGGER_MAX_BODY_BYTES); the signature covers its exact bytes.',
    schema: {},
  })
  @ApiExtraModels(RunResponse)
  @ApiOkResponse({ type: RunResponse, description: 'A sync trigger: the finished run.' })
  @ApiAcceptedResponse({
    type: RunResponse,
    description: 'An async trigger: the queued run; a sync one still running after the wait limit. Poll Location.',
    headers: LOCATION_HEADER,
  })
  @ApiUnauthorizedResponse({
    description: 'A missing or wrong signature, or a signed timestamp outside the tolerance.',
  })
  @ApiNotFoundResponse({ description: 'No enabled trigger has this URL (unknown and disabled answer alike).' })
  @ApiConflictResponse({ description: 'This delivery id was taken already within its replay window; no second run.' })
  @ApiPayloadTooLargeResponse({ description: 'The body is larger than TRIGGER_MAX_BODY_BYTES.' })
  @ApiUnprocessableEntityResponse({
    description:
      "The trigger's input_mapping failed on this delivery (`trigger-mapping-failed`), or the run input it gave is not valid.",
  })
  @ApiServiceUnavailableResponse({
    description: "The trigger's secret cannot be read, or the database is unreachable.",
  })
  async deliver(
    @Param('token') token: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RunResponse> {
    const { run, finished } = await this.deliveries.deliver(token, {
      rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      headers: request.headers,
      query: request.query as Record<string, unknown>,
    });
    if (!finished) response.status(202).setHeader('Location', runLocation(run));
    return toRunResponse(run);
  }
}
