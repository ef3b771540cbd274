import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseAvailability } from '../database/database-availability.js';
import { PrismaService } from '../database/prisma.service.js';

@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly availability: DatabaseAvailability,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      await this.prisma.$queryRaw`SELECT 1`;
      this.availability.answered();
      return indicator.up();
    } catch (error) {
      this.availability.failed('readiness check', error);
      return indicator.down({ message: (error as Error).message });
    }
  }
}
