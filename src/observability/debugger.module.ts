import { Module } from '@nestjs/common';
import { DebuggerController } from './debugger.controller.js';
import { DebuggerStream } from './debugger-stream.js';

@Module({ controllers: [DebuggerController], providers: [DebuggerStream] })
export class DebuggerModule {}
