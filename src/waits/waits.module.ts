import { Module } from '@nestjs/common';
import { ResumeLinks } from './resume-links.js';

/**
 * What durable waits share between executing runs and the API: the resume links of waiting
 * SignalNodes. The signals and resume-link endpoints are served by the RunsModule.
 */
@Module({
  providers: [ResumeLinks],
  exports: [ResumeLinks],
})
export class WaitsModule {}
