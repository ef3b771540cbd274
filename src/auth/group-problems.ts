import { Problem } from '../common/problem.js';
import type { GroupHoldings } from './dto/group-holdings.dto.js';

/** Another group has the name, regardless of case. */
export class GroupNameTakenProblem extends Problem {
  constructor(name: string) {
    super(
      409,
      'group-name-taken',
      'Conflict',
      `A group named "${name}" exists already (names are unique regardless of case).`,
      {
        name,
      },
    );
  }
}

/** The group holds something (`holds`: counts by kind), or runs still active under `?force=true`. */
export class GroupNotEmptyProblem extends Problem {
  constructor(groupId: string, holdings: GroupHoldings, force: boolean) {
    const held = Object.entries(holdings)
      .filter(([kind, count]) => count > 0 && kind !== 'active_runs')
      .map(([kind, count]) => `${count} ${kind.replace('_', ' ')}`)
      .join(', ');
    super(
      409,
      'group-not-empty',
      'Conflict',
      force
        ? `The group has ${holdings.active_runs} active runs; stop them (POST /v1/runs/stop?group_id=${groupId} with a status filter) and delete again.`
        : `The group holds ${held}; delete them first, or delete with ?force=true to delete the group with everything it holds.`,
      { holds: holdings },
    );
  }
}

/** The caller's own key acts in the group by default: deleting it would revoke the key making the request. */
export class OwnDefaultGroupProblem extends Problem {
  constructor() {
    super(
      409,
      'own-default-group',
      'Conflict',
      'This is the default group of the API key making the request; delete it with another admin key.',
    );
  }
}
