import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ActingGroup, Auth } from '../auth/auth.decorator.js';
import { IdParam } from '../common/id-param.js';
import { NodeRunResponse, RunResponse, toRunResponse } from './dto/run.dto.js';
import { RunsService } from './runs.service.js';

@ApiTags('runs')
@Auth()
@Controller('v1/runs/:run_id')
export class RunController {
  constructor(private readonly runs: RunsService) {}

  @Get()
  @ApiOkResponse({ type: RunResponse })
  async get(@ActingGroup() groupId: string, @IdParam('run_id', 'Run') runId: string): Promise<RunResponse> {
    return toRunResponse(await this.runs.get(groupId, runId));
  }

  /** Every node run: status, inputs, outputs, error, timings, attempt. */
  @Get('nodes')
  @ApiOkResponse({ type: [NodeRunResponse] })
  async nodes(
    @ActingGroup() groupId: string,
    @IdParam('run_id', 'Run') runId: string,
  ): Promise<{ items: NodeRunResponse[] }> {
    return { items: await this.runs.nodeRuns(groupId, runId) };
  }
}
