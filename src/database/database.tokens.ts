import type pg from 'pg';

/** The PostgreSQL URL the app uses: `DATABASE_URL`, or the embedded server's when that is unset. */
export const DATABASE_URL = Symbol('DATABASE_URL');
/** The one `pg` pool: Prisma runs on it, and hot paths send SQL on it directly. */
export const PG_POOL = Symbol('PG_POOL');
export type PgPool = pg.Pool;

export interface DatabaseConnection {
  url: string;
  /** Set for the embedded server, which stops when the app shuts down. */
  stopServer?: () => Promise<void>;
}
