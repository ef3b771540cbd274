/**
 * The limits one group (workspace) meets, as data: each row is the limit's name on the wire, the
 * environment variable that sets the deployment's default, the default when that is unset, the
 * bounds of both, and what a refusal answers. A group's overrides (`PATCH /v1/groups/{group_id}`)
 * are stored on the group (`groups.limits`, only the limits set) and win over the defaults.
 * docs/security.md ("Per-group limits") describes each one for users.
 */

export interface GroupLimit {
  /** The key in `limits` on the wire and in `groups.limits`. */
  readonly name: string;
  /** The environment variable holding the deployment's default. */
  readonly env: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** What the limit bounds; the OpenAPI description of the limit. */
  readonly description: string;
  /** The member of a group's `usage` that is held against the limit. */
  readonly usage: string;
  /** What the usage counts; the OpenAPI description of that member. */
  readonly usageDescription: string;
  /** How a refusal answers: its status, `Retry-After` (none when waiting does not help), and advice. */
  readonly refusal: { readonly status: number; readonly retryAfterS?: number; readonly advice: string };
}

export const GROUP_LIMITS = [
  {
    name: 'max_active_runs',
    env: 'MAX_ACTIVE_RUNS_PER_GROUP',
    // A worker instance executes 16 runs at once (QUEUE_SLOTS_PER_GROUP of them for one group), so a
    // thousand runs is a backlog of seconds to minutes: room for a batch of hundreds, while a group
    // cannot queue enough to make the database's tables and the queue its own.
    default: 1000,
    min: 0,
    max: 1_000_000,
    description:
      'Runs of the group that are queued or running, counting the runs created through the API and by schedules ' +
      '(not the child runs of MapNode and WorkflowNode). Past it, run creation answers 429 with Retry-After.',
    usage: 'active_runs',
    usageDescription: 'Runs created through the API or by schedules that are queued or running now.',
    refusal: {
      status: 429,
      retryAfterS: 5,
      advice: 'Wait for some of its runs to finish (or stop some), then retry.',
    },
  },
  {
    name: 'max_schedules',
    env: 'MAX_SCHEDULES_PER_GROUP',
    // A hundred schedules is far more than a team keeps by hand; past that they are generated, and
    // every one of them is a run the group starts on its own.
    default: 100,
    min: 0,
    max: 100_000,
    description: 'Schedules the group may have, enabled or paused. Creating one more answers 409 until one is deleted.',
    usage: 'schedules',
    usageDescription: 'Schedules of the group, enabled or paused.',
    refusal: { status: 409, advice: 'Delete a schedule it no longer needs, or ask an admin to raise the limit.' },
  },
  {
    name: 'max_triggers',
    env: 'MAX_TRIGGERS_PER_GROUP',
    // Like schedules: a trigger per integration and environment is a few dozen; more are generated,
    // and each is a URL through which the group starts runs without an API key.
    default: 100,
    min: 0,
    max: 100_000,
    description:
      'Webhook triggers the group may have, enabled or not. Creating one more answers 409 until one is deleted.',
    usage: 'triggers',
    usageDescription: 'Webhook triggers of the group, enabled or not.',
    refusal: { status: 409, advice: 'Delete a trigger it no longer needs, or ask an admin to raise the limit.' },
  },
  {
    name: 'max_schedule_ticks_per_minute',
    env: 'MAX_SCHEDULE_TICKS_PER_MINUTE_PER_GROUP',
    // Ten schedules ticking every second, or six hundred every-minute ones at the top of the minute.
    default: 600,
    min: 0,
    max: 1_000_000,
    description:
      "Runs the group's schedules may start in any 60 seconds. A tick past it starts no run: the schedule moves " +
      'on to its next tick and its `last_error` says the tick was skipped.',
    usage: 'schedule_ticks_last_minute',
    usageDescription: "Runs the group's schedules started in the last 60 seconds.",
    refusal: {
      status: 429,
      retryAfterS: 60,
      advice: 'Fewer or less frequent schedules stay under it; the skipped ticks are not made up for.',
    },
  },
] as const satisfies readonly GroupLimit[];

export type GroupLimitName = (typeof GROUP_LIMITS)[number]['name'];
export type GroupUsageName = (typeof GROUP_LIMITS)[number]['usage'];

/** One value per limit: the deployment's defaults, or a group's effective limits. */
export type GroupLimitValues = Record<GroupLimitName, number>;
/** A group's own values, for the limits it overrides. */
export type GroupLimitOverrides = Partial<GroupLimitValues>;

export const GROUP_LIMIT_NAMES: readonly GroupLimitName[] = GROUP_LIMITS.map((limit) => limit.name);

export function groupLimit(name: GroupLimitName): GroupLimit {
  return GROUP_LIMITS.find((limit) => limit.name === name)!;
}

/**
 * The overrides stored on a group (`groups.limits`), keeping only known limits with whole values
 * in bounds: a stored value the bounds no longer allow falls back to the default.
 */
export function storedOverrides(stored: unknown): GroupLimitOverrides {
  const overrides: GroupLimitOverrides = {};
  if (typeof stored !== 'object' || stored === null) return overrides;
  for (const limit of GROUP_LIMITS) {
    const value = (stored as Record<string, unknown>)[limit.name];
    if (Number.isInteger(value) && (value as number) >= limit.min && (value as number) <= limit.max) {
      overrides[limit.name] = value as number;
    }
  }
  return overrides;
}

export function effectiveLimits(defaults: GroupLimitValues, overrides: GroupLimitOverrides): GroupLimitValues {
  return { ...defaults, ...overrides };
}

/** What `PATCH /v1/groups/{group_id}` asks of a group's limits: values to set, and limits back to the default. */
export interface LimitChanges {
  set: GroupLimitOverrides;
  reset: GroupLimitName[];
}

/**
 * Reads the `limits` object of a group update: each key a limit's name, each value a whole number
 * within the limit's bounds, or null for the deployment's default. Returns every problem at once,
 * as `field`/`message` pairs (field `limits.<key>`).
 */
export function parseLimitChanges(limits: Record<string, unknown>): {
  changes: LimitChanges;
  problems: { field: string; message: string }[];
} {
  const changes: LimitChanges = { set: {}, reset: [] };
  const problems: { field: string; message: string }[] = [];
  for (const [key, value] of Object.entries(limits)) {
    const field = `limits.${key}`;
    const limit = GROUP_LIMITS.find((known) => known.name === key);
    if (!limit) {
      problems.push({ field, message: `is not a limit; the limits are ${GROUP_LIMIT_NAMES.join(', ')}` });
    } else if (value === null) {
      changes.reset.push(limit.name);
    } else if (!Number.isInteger(value) || (value as number) < limit.min || (value as number) > limit.max) {
      problems.push({ field, message: `must be a whole number from ${limit.min} to ${limit.max}, or null` });
    } else {
      changes.set[limit.name] = value as number;
    }
  }
  return { changes, problems };
}
