import { Body, Controller, Get, Header, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { NoApiKey } from '../auth/auth.decorator.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { SendSignalBody, SignalAcceptedResponse } from './dto/signal.dto.js';
import { resumePage, RESUME_PAGE_POLICY } from './resume-page.js';
import { SignalsService } from './signals.service.js';

const GONE = 'The link was used already, its wait timed out, or the run has finished.';

/**
 * A waiting SignalNode's resume link (`resume_url` in its node run and `node.waiting` event): no
 * API key, the unguessable link is the credential, and it works once.
 */
@NoApiKey()
@Controller('v1/resume/:token')
export class ResumeController {
  constructor(private readonly signals: SignalsService) {}

  /** Sends the node's signal with this payload: the run resumes at once. Works once. */
  @Post()
  @HttpCode(202)
  @ApiTags(API_TAGS.runs.name)
  @ApiOperation({
    operationId: 'resumeWaitingNode',
    summary: 'Resume a waiting SignalNode through its link (no API key)',
    security: [],
  })
  @ApiAcceptedResponse({ type: SignalAcceptedResponse, description: 'Stored and taken for the node; the run resumes.' })
  @ApiNotFoundResponse({ description: 'No such link.' })
  @ApiGoneResponse({ description: GONE })
  @ApiUnprocessableEntityResponse({ description: "The payload does not match the node's schema (`errors`)." })
  @ApiServiceUnavailableResponse({ description: 'The database is unreachable; retry after `Retry-After` seconds.' })
  resume(@Param('token') token: string, @Body() body: SendSignalBody): Promise<SignalAcceptedResponse> {
    return this.signals.resume(token, body.payload);
  }

  /** A page for people: what the node waits for, and a form that sends the signal (POST). Reading it uses nothing up. */
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  @ApiTags(API_TAGS.runs.name)
  @ApiOperation({ operationId: 'getResumePage', summary: 'Show the form of a resume link (no API key)', security: [] })
  @ApiOkResponse({ description: 'An HTML form that sends the signal.', content: { 'text/html': {} } })
  @ApiNotFoundResponse({ description: 'No such link.' })
  @ApiGoneResponse({ description: GONE })
  @ApiServiceUnavailableResponse({ description: 'The database is unreachable; retry after `Retry-After` seconds.' })
  async page(@Param('token') token: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const wait = await this.signals.describeLink(token);
    response.setHeader('Content-Security-Policy', RESUME_PAGE_POLICY);
    return resumePage(wait);
  }
}
