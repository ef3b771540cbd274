import { Global, Module } from '@nestjs/common';
import { ApiKeyCache } from './api-key-cache.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { ApiKeysService } from './api-keys.service.js';
import { BootstrapKeyService } from './bootstrap-key.service.js';
import { CurrentKeyController } from './current-key.controller.js';
import { GroupsController } from './groups.controller.js';
import { GroupsRepository } from './groups.repository.js';
import { GroupsService } from './groups.service.js';
import { RateLimiter } from './rate-limiter.js';
import { StreamSlots } from '../common/stream-slots.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';

/** Global so every feature module's controllers can use `@Auth({ role })` without importing it. */
@Global()
@Module({
  controllers: [GroupsController, ApiKeysController, CurrentKeyController],
  providers: [
    ApiKeyGuard,
    ApiKeyCache,
    ApiKeysRepository,
    GroupsRepository,
    ApiKeysService,
    GroupsService,
    RateLimiter,
    BootstrapKeyService,
    StreamSlots,
    AuthFailureLimiter,
  ],
  exports: [
    ApiKeyGuard,
    ApiKeyCache,
    ApiKeysRepository,
    GroupsRepository,
    RateLimiter,
    BootstrapKeyService,
    StreamSlots,
    AuthFailureLimiter,
  ],
})
export class AuthModule {}
