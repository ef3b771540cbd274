import { DynamicModule, Module } from '@nestjs/common';
import { DefinitionsModule } from '../definitions/definitions.module.js';
import { GroupSchedulesController } from './group-schedules.controller.js';
import { ScheduleTicker } from './schedule-ticker.js';
import { SchedulesController } from './schedules.controller.js';
import { SchedulesRepository } from './schedules.repository.js';
import { SchedulesService } from './schedules.service.js';

/** The schedules API and the ticker that starts due runs, through RunsService (API instances only). */
@Module({})
export class SchedulesModule {
  /** `runs`: the app's one RunsModule, so schedules start runs with the same RunsService. */
  static forRoot(runs: DynamicModule): DynamicModule {
    return {
      module: SchedulesModule,
      imports: [DefinitionsModule, runs],
      controllers: [SchedulesController, GroupSchedulesController],
      providers: [SchedulesRepository, SchedulesService, ScheduleTicker],
    };
  }
}
