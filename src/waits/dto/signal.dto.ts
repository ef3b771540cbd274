import { ApiProperty } from '@nestjs/swagger';
import { Allow } from 'class-validator';

export class SendSignalBody {
  /** Any JSON value: it becomes the receiving SignalNode's `payload` output. Absent is null. */
  @ApiProperty({ required: false, nullable: true, description: "Any JSON value; the SignalNode's `payload` output." })
  @Allow()
  payload?: unknown;
}

export class SignalAcceptedResponse {
  @ApiProperty({ format: 'uuid' }) run_id!: string;
  @ApiProperty() name!: string;
  /** The signal's place among the run's signals (they are taken oldest first). */
  @ApiProperty({ type: String, description: 'Increasing: signals of a name are taken in this order.' }) id!: string;
  @ApiProperty({ format: 'date-time' }) received_at!: string;
}
