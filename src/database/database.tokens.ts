/** The PostgreSQL URL the app uses: `DATABASE_URL`, or the embedded server's when that is unset. */
export const DATABASE_URL = Symbol('DATABASE_URL');

export interface DatabaseConnection {
  url: string;
  /** Set for the embedded server, which stops when the app shuts down. */
  stopServer?: () => Promise<void>;
}
