import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { DEFINITION_EXAMPLE as SEED_DEFINITION_EXAMPLE } from '../../dto/workflow.dto.js';
import { WORKFLOW_SLUG } from '../../workflow-slug.js';
import { DOCUMENT_FORMAT } from '../workflow-document.js';

const DEFINITION_EXAMPLE = {
  nodes: [
    { id: 'text', type: 'InputNode', config: { label: 'Text', type: 'str' } },
    { id: 'short', type: 'WorkflowNode', config: { workflow: 'shorten', workflow_version: 2 } },
    {
      id: 'post',
      type: 'HttpRequestNode',
      config: {
        method: 'POST',
        url: 'https://hooks.example.com/summary',
        headers: { Authorization: 'Bearer ((secrets.HOOK_TOKEN))' },
        body: '((summary))',
      },
    },
    { id: 'out', type: 'OutputNode', config: { label: 'Summary' } },
  ],
  edges: [
    { from: { node_id: 'text', output: 'value' }, to: { node_id: 'short', input: 'Text' } },
    { from: { node_id: 'short', output: 'Short' }, to: { node_id: 'post', input: 'summary' } },
    { from: { node_id: 'short', output: 'Short' }, to: { node_id: 'out', input: 'value' } },
  ],
};

const DEFINITION_DOC =
  'The definition exactly as saved (key order included), except that a WorkflowNode or MapNode names the workflow it calls by `workflow` (its slug) and `workflow_version` (a version number) in place of `workflow_id` and `workflow_version_id`.';

export class DocumentVersionDto {
  /** 1, 2, 3…: listed oldest first, one after another. */
  @ApiProperty({ minimum: 1, example: 1 }) number!: number;
  /** Defaults to `v<number>` on import. */
  @ApiPropertyOptional({ example: 'v1', maxLength: 200 }) name?: string;
  @ApiProperty({ nullable: true, type: String, example: 'first cut', maxLength: 2000 }) description!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: DEFINITION_DOC }) definition!: Record<
    string,
    unknown
  >;
}

export class DocumentScheduleDto {
  @ApiProperty({ example: '0 9 * * 1-5' }) cron!: string;
  @ApiProperty({ example: 'UTC' }) timezone!: string;
  /** The version number each run executes; null runs the draft. */
  @ApiProperty({ nullable: true, type: Number, example: 1 }) version!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { Text: 'The weekly report…' } }) input!: Record<
    string,
    unknown
  >;
  @ApiProperty({ nullable: true, type: String, example: null }) callback_url!: string | null;
  @ApiProperty({ example: true }) enabled!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: {} }) metadata!: Record<
    string,
    string
  >;
}

export class DocumentRequirementsDto {
  /** Slugs of the workflows the draft or any version calls, sorted: they must exist where the document is imported (or come in the same bundle). */
  @ApiProperty({ type: [String], example: ['shorten'] }) workflows!: string[];
  /** Names of the group secrets (`((secrets.NAME))`) the draft or any version uses, sorted; never their values. */
  @ApiProperty({ type: [String], example: ['HOOK_TOKEN'] }) secrets!: string[];
}

/** A workflow as code: everything needed to recreate it in another group or instance, by slug. */
export class WorkflowDocumentDto {
  @ApiProperty({ enum: [DOCUMENT_FORMAT], example: DOCUMENT_FORMAT }) runloom!: typeof DOCUMENT_FORMAT;
  /** What imports match on; a document without one cannot be imported. */
  @ApiProperty({ nullable: true, type: String, pattern: WORKFLOW_SLUG.source, example: 'summarize' }) slug!:
    string | null;
  @ApiProperty({ example: 'Summarize' }) name!: string;
  @ApiProperty({ nullable: true, type: String, example: 'Shortens a text and posts it' }) description!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: DEFINITION_DOC, example: DEFINITION_EXAMPLE })
  definition!: Record<string, unknown>;
  /** Oldest first. */
  @ApiProperty({
    type: [DocumentVersionDto],
    example: [{ number: 1, name: 'v1', description: 'first cut', definition: DEFINITION_EXAMPLE }],
  })
  versions!: DocumentVersionDto[];
  /** In creation order; on import, the workflow's schedules become exactly these. */
  @ApiProperty({ type: [DocumentScheduleDto] }) schedules!: DocumentScheduleDto[];
  @ApiProperty({ type: DocumentRequirementsDto }) requires!: DocumentRequirementsDto;
}

/** Several documents imported together, all or nothing; they may call each other. */
export class WorkflowBundleDto {
  @ApiProperty({ type: [WorkflowDocumentDto], minItems: 1, maxItems: 200 }) workflows!: WorkflowDocumentDto[];
}

/** The body of POST /v1/workflows/import: one document, or a bundle. */
export const IMPORT_BODY_SCHEMA = {
  oneOf: [{ $ref: getSchemaPath(WorkflowDocumentDto) }, { $ref: getSchemaPath(WorkflowBundleDto) }],
};

const IMPORTABLE_DOCUMENT = {
  runloom: DOCUMENT_FORMAT,
  slug: 'beginner-answers',
  name: 'Beginner answers',
  description: null,
  definition: SEED_DEFINITION_EXAMPLE,
  versions: [{ number: 1, name: 'v1', description: 'first cut', definition: SEED_DEFINITION_EXAMPLE }],
  schedules: [],
  requires: { workflows: [], secrets: [] },
};

/** Examples that import as they are, into any group (the document example calls a workflow and a secret a group may lack). */
export const IMPORT_BODY_EXAMPLES = {
  document: { summary: 'One document', value: IMPORTABLE_DOCUMENT },
  bundle: { summary: 'A bundle', value: { workflows: [IMPORTABLE_DOCUMENT] } },
};
