import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_TAGS } from '../openapi/api-tags.js';
import { Auth } from '../auth/auth.decorator.js';
import type { NodeTypeDescription } from '../execution/node-type.js';
import { builtInNodeTypes } from '../execution/nodes/index.js';

const CATALOG = { items: builtInNodeTypes.describeAll() };

@ApiTags(API_TAGS.workflows.name)
@Auth()
@Controller('v1/nodes')
export class NodeCatalogController {
  /** Every node type with its config JSON Schema and its input/output connectors. */
  @Get()
  @ApiOperation({ summary: 'List node types' })
  @ApiOkResponse({
    description:
      'The node catalog: `{ items: [{ type, description, config_schema, inputs, outputs, connectors_from_config?, example? }] }`. ' +
      'The example below is the catalog itself, so this document describes every type.',
    schema: { type: 'object', properties: { items: { type: 'array', items: { type: 'object' } } }, example: CATALOG },
  })
  list(): { items: NodeTypeDescription[] } {
    return CATALOG;
  }
}
