import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { Transform } from 'class-transformer';
import { GroupQuery } from '../../../common/group-query.js';
import { toBoolean } from '../../../runs/dto/create-run.dto.js';

export class ImportQuery extends GroupQuery {
  /** Check everything and answer what would change, writing nothing. */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  dry_run: boolean = false;
}

/** One change an import makes (or would make, in a dry run). */
export class ImportChangeDto {
  @ApiProperty({ enum: ['workflow', 'version', 'schedule'] }) target!: 'workflow' | 'version' | 'schedule';
  /** For an updated workflow: which of its fields. */
  @ApiPropertyOptional({ enum: ['name', 'description', 'definition'] }) field?: string;
  /** For a version: its number. */
  @ApiPropertyOptional() number?: number;
  /** For a schedule: its cron expression. */
  @ApiPropertyOptional() cron?: string;
  @ApiProperty({ enum: ['created', 'updated', 'deleted'] }) change!: 'created' | 'updated' | 'deleted';
}

export class ImportedWorkflowDto {
  @ApiProperty({ example: 'summarize' }) slug!: string;
  /** Null for a workflow a dry run would create. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) workflow_id!: string | null;
  /** `unchanged`: nothing was (or would be) written for it. */
  @ApiProperty({ enum: ['created', 'updated', 'unchanged'] }) action!: 'created' | 'updated' | 'unchanged';
  @ApiProperty({
    type: [ImportChangeDto],
    example: [
      { target: 'workflow', field: 'definition', change: 'updated' },
      { target: 'version', number: 3, change: 'created' },
      { target: 'schedule', cron: '0 9 * * 1-5', change: 'created' },
    ],
  })
  changes!: ImportChangeDto[];
}

export class ImportResultDto {
  @ApiProperty() dry_run!: boolean;
  /** In the order they were applied: a workflow after the workflows of the bundle it calls. */
  @ApiProperty({ type: [ImportedWorkflowDto] }) workflows!: ImportedWorkflowDto[];
}
