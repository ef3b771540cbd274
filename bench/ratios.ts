/**
 * Sync runs against the floors measured beside them: CPU per unit of work (server, PostgreSQL),
 * throughput and latency. Each ratio is computed per round and reported at its median over the
 * rounds, with the operands of that same round.
 */
import type { AsyncFigures } from './async-runs.js';
import type { BackendsSpent } from './cpu-meter.js';
import { combinedLimit, type LoadFigures, type RoundFigures } from './sync-floors.js';

interface RoundRatio {
  /** Undefined when an operand could not be measured; `operands` then says why. */
  value: number | undefined;
  operands: string;
  note?: string;
}

interface Ratio {
  figure: string;
  target: string;
  of: (round: RoundFigures) => RoundRatio;
}

const ms = (value: number) => value.toFixed(3);
const serverCpu = (figures: LoadFigures) => figures.cpu.serverMs / figures.completed;
const databaseCpu = (figures: LoadFigures) =>
  figures.cpu.database.unreadable > 0 ? undefined : figures.cpu.database.cpuMs / figures.completed;
const backends = ({ kept, appeared, exited }: BackendsSpent) => `${kept}+${appeared}−${exited}`;

function ratios(connections: number, asyncRuns: AsyncFigures): Ratio[] {
  return [
    {
      figure: `server CPU per sync run at ${connections} connections ÷ per GET /health/live`,
      target: '≤ 2',
      of: ({ syncMany, frameworkFloor }) => ({
        value: serverCpu(syncMany) / serverCpu(frameworkFloor),
        operands: `${ms(serverCpu(syncMany))} ÷ ${ms(serverCpu(frameworkFloor))} ms CPU`,
      }),
    },
    {
      figure: `server CPU per authenticated JSON POST that starts no run ÷ per GET /health/live, at ${connections} connections`,
      target: 'none: the stack’s share of the first ratio',
      of: ({ postFloor, frameworkFloor }) => ({
        value: serverCpu(postFloor) / serverCpu(frameworkFloor),
        operands: `${ms(serverCpu(postFloor))} ÷ ${ms(serverCpu(frameworkFloor))} ms CPU`,
        note: 'POST /v1/workflows/validate of an empty definition',
      }),
    },
    {
      figure: `PostgreSQL CPU per sync run ÷ per raw insert+update pair, at ${connections} connections`,
      target: '≤ 2.5',
      of: ({ syncMany, databaseFloor }) => {
        const [run, pair] = [databaseCpu(syncMany), databaseCpu(databaseFloor)];
        if (run === undefined || pair === undefined) {
          const pids = syncMany.cpu.database.unreadable + databaseFloor.cpu.database.unreadable;
          return {
            value: undefined,
            operands: `unavailable: /proc/<pid>/stat of ${pids} backend readings unreadable or not PostgreSQL (the database on another machine?)`,
          };
        }
        return {
          value: run / pair,
          operands: `${ms(run)} ÷ ${ms(pair)} ms CPU`,
          note:
            `backends kept+appeared−exited: sync ${backends(syncMany.cpu.database)}, pairs ${backends(databaseFloor.cpu.database)}` +
            (syncMany.cpu.database.exited + databaseFloor.cpu.database.exited > 0
              ? ' (an exited backend’s CPU after the first reading is not counted)'
              : ''),
        };
      },
    },
    {
      figure: `sync runs/s at ${connections} connections ÷ combined limit 1/(1/db floor + 1/framework floor)`,
      target: '≥ 0.6',
      of: (round) => ({
        value: round.syncMany.perSecond / combinedLimit(round),
        operands: `${round.syncMany.perSecond.toFixed(0)} ÷ ${combinedLimit(round).toFixed(0)} runs/s`,
        note: `db floor ${round.databaseFloor.perSecond.toFixed(0)} ops/s, framework floor ${round.frameworkFloor.perSecond.toFixed(0)} req/s`,
      }),
    },
    {
      figure: 'sync p50 ÷ raw insert+update p50, at 1 connection',
      target: '≤ 3',
      of: ({ syncOne, databaseFloorOne }) => ({
        value: syncOne.p50Ms / databaseFloorOne.p50Ms,
        operands: `${syncOne.p50Ms.toFixed(2)} ÷ ${databaseFloorOne.p50Ms.toFixed(2)} ms`,
      }),
    },
    {
      figure: `async runs/s end to end ÷ sync runs/s at ${connections} connections`,
      target: '≥ 0.5',
      of: ({ syncMany }) => ({
        value: asyncRuns.runsPerSecond / syncMany.perSecond,
        operands: `${asyncRuns.runsPerSecond.toFixed(0)} ÷ ${syncMany.perSecond.toFixed(0)} runs/s`,
        note: 'async measured once, after the rounds',
      }),
    },
  ];
}

/** An unavailable round makes the ratio unavailable: a median of the rest would hide it. */
function median(ratio: Ratio, rounds: RoundFigures[]): RoundRatio {
  const measured = rounds.map(ratio.of);
  const unavailable = measured.find((r) => r.value === undefined);
  if (unavailable) return unavailable;
  return measured.sort((a, b) => a.value! - b.value!)[Math.floor(measured.length / 2)];
}

const shown = (ratio: RoundRatio) => (ratio.value === undefined ? 'n/a' : ratio.value.toFixed(2));

/** The CPU each measurement of each round cost per unit, to check the ratios' operands by eye. */
function cpuLines(rounds: RoundFigures[], connections: number): string[] {
  const perUnit = (figures: LoadFigures) => {
    const database = databaseCpu(figures);
    return `${ms(serverCpu(figures))} / ${database === undefined ? 'unreadable' : ms(database)}`;
  };
  return rounds.map(
    (round, i) =>
      `round ${i + 1}, CPU ms per unit, server / PostgreSQL: insert+update at ${connections} ${perUnit(round.databaseFloor)}, at 1 ${perUnit(round.databaseFloorOne)}; ` +
      `/health/live ${perUnit(round.frameworkFloor)}; validate POST ${perUnit(round.postFloor)}; sync run at 1 ${perUnit(round.syncOne)}, at ${connections} ${perUnit(round.syncMany)}`,
  );
}

/** The ratios with their targets and operands, then the same as a table for the README. */
export function ratioLines(rounds: RoundFigures[], asyncRuns: AsyncFigures, connections: number): string[] {
  const figures = ratios(connections, asyncRuns).map((ratio) => ({ ...ratio, median: median(ratio, rounds) }));
  return [
    `ratios, each the median of its ${rounds.length} per-round values, with that round's operands:`,
    ...figures.map(
      ({ figure, target, median: m }) =>
        `  ${figure}: ${shown(m)} (target ${target}) = ${m.operands}${m.note ? `; ${m.note}` : ''}`,
    ),
    ...cpuLines(rounds, connections),
    '',
    '| figure | value | target |',
    '|---|---|---|',
    ...figures.map(({ figure, target, median: m }) => `| ${figure} | ${shown(m)} (${m.operands}) | ${target} |`),
  ];
}
