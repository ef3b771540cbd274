import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import type { Workflow } from '../../generated/prisma/client.js';
import type { AuthoredVersion } from '../../definitions/workflows.repository.js';
import { definitionFromJson, type WorkflowDefinition } from '../../execution/definition.js';
import { KeepJson } from '../../common/json-value.js';
import { PageQuery } from '../../common/pagination.js';
import { WORKFLOW_SLUG, WORKFLOW_SLUG_RULE } from '../workflow-slug.js';

/** The seed workflow, short: what the docs' examples create. */
export const DEFINITION_EXAMPLE = {
  nodes: [
    { id: 'question', type: 'InputNode', config: { label: 'User Question', type: 'str' } },
    { id: 'prompt', type: 'TextTemplateNode', config: { template: 'Q: ((q))' } },
    { id: 'answer', type: 'OutputNode', config: { label: 'Answer' } },
  ],
  edges: [
    { from: { node_id: 'question', output: 'value' }, to: { node_id: 'prompt', input: 'q' } },
    { from: { node_id: 'prompt', output: 'text' }, to: { node_id: 'answer', input: 'value' } },
  ],
};

export class CreateWorkflowBody {
  @ApiProperty({ example: 'Beginner answers', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  /**
   * The workflow's stable name for code (export/import, the CLI): 1–64 lowercase letters, digits
   * and inner hyphens, unique among the group's workflows (409 `slug-taken` otherwise).
   */
  @ApiPropertyOptional({ example: 'beginner-answers', pattern: WORKFLOW_SLUG.source, nullable: true, type: String })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsString()
  @Matches(WORKFLOW_SLUG, { message: `slug ${WORKFLOW_SLUG_RULE}` })
  slug?: string | null;

  /**
   * The DAG: `nodes` (id, type, config, and optional policies `retry`, `timeout_ms`, `on_error`,
   * `default_outputs`) and `edges` (from node/output to node/input). See GET /v1/nodes for the
   * config schemas and connectors of every type, and the schema of the policies.
   */
  @ApiProperty({ type: 'object', additionalProperties: true, example: DEFINITION_EXAMPLE })
  @IsObject()
  @KeepJson()
  definition!: Record<string, unknown>;
}

export class UpdateWorkflowBody {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  /** A new slug (409 `slug-taken` if another workflow has it), or null to clear it. */
  @ApiPropertyOptional({ pattern: WORKFLOW_SLUG.source, nullable: true, type: String })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsString()
  @Matches(WORKFLOW_SLUG, { message: `slug ${WORKFLOW_SLUG_RULE}` })
  slug?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  @KeepJson()
  definition?: Record<string, unknown>;
}

/** Filters of GET /v1/workflows; both may be combined. */
export class WorkflowListQuery extends PageQuery {
  /** Exactly this slug: the page holds the one workflow that has it, or nothing. */
  @ApiPropertyOptional({ pattern: WORKFLOW_SLUG.source, example: 'beginner-answers' })
  @IsOptional()
  @IsString()
  @Matches(WORKFLOW_SLUG, { message: `slug ${WORKFLOW_SLUG_RULE}` })
  slug?: string;

  /**
   * Workflows whose name, slug or description contain this text, ignoring case (`%` and `_` are
   * plain characters). The group's workflows are matched with ILIKE, helped by a trigram index.
   */
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'answer' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;
}

export class SampleInputBody {
  /** A run input, as `POST …/runs` takes it: values by InputNode label or node id. */
  @ApiProperty({ type: 'object', additionalProperties: true, example: { 'User Question': 'What is a DAG?' } })
  @IsObject()
  @KeepJson()
  input!: Record<string, unknown>;
}

export class CreateVersionBody {
  /** Defaults to `v<number>`. */
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}

export class WorkflowResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) group_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  /** Stable name for code (export/import, the CLI); null when none is set. */
  @ApiProperty({ nullable: true, type: String, example: 'beginner-answers' }) slug!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) definition!: WorkflowDefinition;
  /** The run input pinned for test runs (PUT …/sample-input); null when none is. */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  sample_input!: Record<string, unknown> | null;
  /** Increases with every change; send it as `If-Match` to update safely. */
  @ApiProperty() revision!: number;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

export class WorkflowVersionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) workflow_id!: string;
  /** 1, 2, 3… per workflow. */
  @ApiProperty() number!: number;
  @ApiProperty() name!: string;
  /** The version's message: what changed, and why. */
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) definition!: WorkflowDefinition;
  /** The API key that made the version; null for versions made before authors were recorded. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) author_key_id!: string | null;
  /** That key's name as it is now. */
  @ApiProperty({ nullable: true, type: String }) author_key_name!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export function toWorkflowResponse(workflow: Workflow): WorkflowResponse {
  return {
    id: workflow.id,
    group_id: workflow.groupId,
    name: workflow.name,
    description: workflow.description,
    slug: workflow.slug,
    definition: definitionFromJson(workflow.definition),
    sample_input: workflow.sampleInput as Record<string, unknown> | null,
    revision: workflow.revision,
    created_at: workflow.createdAt.toISOString(),
    updated_at: workflow.updatedAt.toISOString(),
  };
}

export function toVersionResponse(version: AuthoredVersion): WorkflowVersionResponse {
  return {
    id: version.id,
    workflow_id: version.workflowId,
    number: version.number,
    name: version.name,
    description: version.description,
    definition: definitionFromJson(version.definition),
    author_key_id: version.authorKeyId,
    author_key_name: version.authorKey?.name ?? null,
    created_at: version.createdAt.toISOString(),
  };
}
