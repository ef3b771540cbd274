import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.js';
import { RequestLogMiddleware } from './request-log.middleware.js';

/**
 * JSON-line logs; keys, secrets and resume-link tokens are redacted. Requests are logged by our own
 * RequestLogMiddleware, not pino-http's (`forRoutes: []`), which gave every request a child logger
 * bound with AsyncLocalStorage: that turns on Node's promise hooks, a tax on every promise of every
 * request, for a line written at `info` only.
 */
@Module({})
export class LoggingModule implements NestModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        PinoLoggerModule.forRoot({
          forRoutes: [],
          pinoHttp: {
            level: config.logLevel,
            redact: {
              paths: [
                'req.headers["x-api-key"]',
                'req.headers.authorization',
                'req.headers.cookie',
                '*.key',
                '*.webhook_secret',
                '*.secret',
              ],
              censor: '[redacted]',
            },
          },
        }),
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLogMiddleware).forRoutes('*path');
  }
}
