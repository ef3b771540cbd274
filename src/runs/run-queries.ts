import { Injectable } from '@nestjs/common';
import type { NodeRun, Run, RunStatus } from '../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';

/** What the API reads of runs besides a run by id (RunsRepository.find): lists, node runs, keys. */
@Injectable()
export class RunQueries {
  constructor(private readonly prisma: PrismaService) {}

  findByIdempotencyKey(groupId: string, key: string): Promise<Run | null> {
    return this.prisma.run.findFirst({ where: { groupId, idempotencyKey: key } });
  }

  findInWorkflow(groupId: string, workflowId: string, id: string): Promise<Run | null> {
    return this.prisma.run.findFirst({ where: { id, groupId, workflowId } });
  }

  async page(
    groupId: string,
    workflowId: string,
    status: RunStatus | undefined,
    skip: number,
    take: number,
    parentRunId?: string,
  ): Promise<{ items: Run[]; total: number }> {
    const where = { groupId, workflowId, ...(status ? { status } : {}), ...(parentRunId ? { parentRunId } : {}) };
    const [items, total] = await this.prisma.$transaction([
      this.prisma.run.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take }),
      this.prisma.run.count({ where }),
    ]);
    return { items, total };
  }

  nodeRuns(groupId: string, runId: string): Promise<NodeRun[]> {
    return this.prisma.nodeRun.findMany({
      where: { runId, run: { groupId } },
      orderBy: [{ startedAt: { sort: 'asc', nulls: 'last' } }, { nodeId: 'asc' }],
    });
  }
}
