import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_TAGS } from '../openapi/api-tags.js';
import { Auth } from '../auth/auth.decorator.js';
import { NODE_POLICY_SCHEMA } from '../execution/engine/index.js';
import type { JsonSchema, NodeTypeDescription } from '../execution/node-type.js';
import { builtInNodeTypes } from '../execution/nodes/index.js';

const CATALOG = { items: builtInNodeTypes.describeAll(), node_policy_schema: NODE_POLICY_SCHEMA };

@ApiTags(API_TAGS.workflows.name)
@Controller('v1/nodes')
export class NodeCatalogController {
  /**
   * Every node type with its config JSON Schema and its input/output connectors, and the JSON
   * Schema of the policy keys any node may carry next to its config (retry, timeout_ms, on_error,
   * default_outputs).
   */
  @Auth({ role: 'viewer' })
  @Get()
  @ApiOperation({ operationId: 'listNodeTypes', summary: 'List node types' })
  @ApiOkResponse({
    description:
      'The node catalog: `{ items: [{ type, description, config_schema, inputs, outputs, connectors_from_config?, example? }], node_policy_schema }`. ' +
      'The example below is the catalog itself, so this document describes every type.',
    schema: {
      type: 'object',
      properties: {
        items: { type: 'array', items: { type: 'object' } },
        node_policy_schema: { type: 'object', description: 'JSON Schema of the policy keys of a node.' },
      },
      example: CATALOG,
    },
  })
  list(): { items: NodeTypeDescription[]; node_policy_schema: JsonSchema } {
    return CATALOG;
  }
}
