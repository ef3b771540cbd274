import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsObject, IsOptional, IsUUID } from 'class-validator';
import { KeepJson } from '../../common/json-value.js';
import { FieldProblemResponse } from '../../common/problem-response.dto.js';

export class ValidateDefinitionBody {
  /** A definition as it would be saved (`nodes` and `edges`); nothing is stored. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  @IsObject()
  @KeepJson()
  definition!: Record<string, unknown>;

  /** The workflow this definition is a draft of, so that calling itself is reported as a save would. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  workflow_id?: string;
}

export class InputConnectorResponse {
  @ApiProperty() name!: string;
  /** A required input must be fed by an edge (or, for single-node runs, by the run input). */
  @ApiProperty() required!: boolean;
  @ApiPropertyOptional() description?: string;
}

export class OutputConnectorResponse {
  @ApiProperty() name!: string;
  @ApiPropertyOptional() description?: string;
}

export class NodeConnectorsResponse {
  @ApiProperty({ type: [InputConnectorResponse] }) inputs!: InputConnectorResponse[];
  @ApiProperty({ type: [OutputConnectorResponse] }) outputs!: OutputConnectorResponse[];
}

@ApiExtraModels(NodeConnectorsResponse)
export class DefinitionValidationResponse {
  /** True when saving this definition would succeed. */
  @ApiProperty() valid!: boolean;
  /** Exactly the `errors` a save would answer 422 with; empty when valid. */
  @ApiProperty({ type: [FieldProblemResponse] }) errors!: FieldProblemResponse[];
  /**
   * By node id, the inputs and outputs of every node whose type is known and whose config passes its
   * schema: a TextTemplateNode's inputs are the `((placeholders))` of its template as it stands.
   */
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(NodeConnectorsResponse) } })
  connectors!: Record<string, NodeConnectorsResponse>;
}
