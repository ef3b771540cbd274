import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { NoApiKey } from '../auth/auth.decorator.js';
import { MetricsService } from './metrics.service.js';

/** Prometheus scrape endpoint; like /health it needs no key (keep it on an internal network). */
@ApiExcludeController()
@NoApiKey()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
