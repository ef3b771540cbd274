/**
 * `npm run sql`: writes the final text of every hot statement (src/sql/statements.ts) to sql/, one
 * file per operation, and deletes the files of statements that are gone. Run it after changing a
 * statement and commit the files with the change; src/sql/sql-files.spec.ts fails until then.
 */
import { writeSqlFiles } from '../src/sql/sql-files.js';

const changed = writeSqlFiles();
console.error(changed.length > 0 ? changed.join('\n') : 'sql/ is up to date');
