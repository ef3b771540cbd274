import { Module } from '@nestjs/common';
import { DebuggerController } from '../run-events/debugger.controller.js';
import { DebuggerStream } from '../run-events/debugger-stream.js';

@Module({ controllers: [DebuggerController], providers: [DebuggerStream] })
export class DebuggerModule {}
