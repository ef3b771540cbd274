import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorator.js';
import type { NodeTypeDescription } from '../execution/node-type.js';
import { builtInNodeTypes } from '../execution/nodes/index.js';

@ApiTags('nodes')
@Auth()
@Controller('v1/nodes')
export class NodeCatalogController {
  private readonly catalog = { items: builtInNodeTypes.describeAll() };

  /** Every node type with its config JSON Schema and its input/output connectors. */
  @Get()
  @ApiOkResponse({
    description: 'The node catalog: `{ items: [{ type, description, config_schema, inputs, outputs }] }`.',
  })
  list(): { items: NodeTypeDescription[] } {
    return this.catalog;
  }
}
