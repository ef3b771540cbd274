import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ProblemFilter } from './common/problem.filter.js';
import { createValidationPipe } from './common/validation.js';
import { AppConfig, servesApi } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import type { DatabaseConnection } from './database/database.tokens.js';
import { HealthModule } from './health/health.module.js';
import { LoggingModule } from './logging/logger.module.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { RunsModule } from './runs/runs.module.js';
import { SchedulesModule } from './schedules/schedules.module.js';
import { TriggersModule } from './triggers/triggers.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { WorkflowsModule } from './workflows/workflows.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: DatabaseConnection): DynamicModule {
    // One RunsModule: the workflows and schedules APIs import this instance, not copies of it.
    const runs = RunsModule.forRoot(config);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(database),
        LoggingModule.forRoot(config),
        HealthModule,
        ObservabilityModule,
        // A worker serves only its health checks over HTTP; it takes its work from the queue.
        ...(servesApi(config)
          ? [
              AuthModule,
              AuditModule,
              WorkflowsModule.forRoot(runs),
              SchedulesModule.forRoot(runs),
              TriggersModule.forRoot(runs),
            ]
          : []),
        runs,
        WebhooksModule.forRoot(config),
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
