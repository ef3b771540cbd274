import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import type { DynamicModule, Type } from '@nestjs/common';
import { MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config/app-config.js';
import { NO_KEY, REQUIRED_ROLE, REQUIRED_ROLES } from '../common/roles.js';

type ModuleRef = Type | DynamicModule;

/** Every controller the app registers, found by walking its module tree the way Nest does. */
function controllersOf(root: ModuleRef): Type[] {
  const controllers = new Set<Type>();
  const seen = new Set<ModuleRef>();
  const walk = (ref: ModuleRef) => {
    if (seen.has(ref)) return;
    seen.add(ref);
    const dynamic = 'module' in ref ? ref : undefined;
    const type = dynamic ? dynamic.module : (ref as Type);
    const own = (key: string) => (Reflect.getMetadata(key, type) as unknown[] | undefined) ?? [];
    for (const controller of [...own(MODULE_METADATA.CONTROLLERS), ...(dynamic?.controllers ?? [])]) {
      controllers.add(controller as Type);
    }
    for (const imported of [...own(MODULE_METADATA.IMPORTS), ...(dynamic?.imports ?? [])]) {
      if (imported && typeof imported === 'object' && 'then' in imported) continue;
      if (imported) walk(imported as ModuleRef);
    }
  };
  walk(root);
  return [...controllers];
}

/** `RunController.stopRun` → the role it declares, `no key`, or undefined when it declares nothing. */
function declarations(controllers: Type[]): Map<string, string | undefined> {
  const found = new Map<string, string | undefined>();
  for (const controller of controllers) {
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      const noKey = Reflect.getMetadata(NO_KEY, handler) ?? Reflect.getMetadata(NO_KEY, controller);
      found.set(`${controller.name}.${name}`, noKey ? 'no key' : Reflect.getMetadata(REQUIRED_ROLE, handler));
    }
  }
  return found;
}

describe('the role each route needs', () => {
  const app = AppModule.forRoot(loadConfig({ DATABASE_URL: 'postgresql://127.0.0.1/none' }), { url: '' });
  const routes = declarations(controllersOf(app));

  it('is declared on every route of the app (@Auth({ role }) on the handler, or @NoApiKey())', () => {
    const undeclared = [...routes].filter(([, role]) => role === undefined).map(([route]) => route);
    expect(undeclared).toEqual([]);
  });

  it('is one of the ladder, and the walk found the routes (not an empty table by accident)', () => {
    for (const role of routes.values()) expect([...REQUIRED_ROLES, 'no key']).toContain(role);
    expect(routes.get('RunController.stop')).toBe('runner');
    expect(routes.get('ApiKeysController.create')).toBe('admin');
    expect(routes.get('HealthController.live')).toBe('no key');
    expect(routes.size).toBeGreaterThan(50);
  });

  it('is never set on a controller class, where a handler would inherit it unseen', () => {
    const classLevel = controllersOf(app).filter((controller) => Reflect.getMetadata(REQUIRED_ROLE, controller));
    expect(classLevel).toEqual([]);
  });
});
