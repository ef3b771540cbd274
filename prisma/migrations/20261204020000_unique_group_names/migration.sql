-- Group names become unique regardless of case (groups_name_lower_key, an expression index that
-- prisma/schema.prisma cannot express): a picker showed six identical "marketing".
--
-- Existing duplicates are renamed first, deterministically: among the groups whose names are equal
-- regardless of case, the oldest (created_at, then id) keeps its name and the others become
-- "<name> (2)", "<name> (3)", … in the same order, skipping a number whose name another group
-- already has. Only names change; ids, keys and everything the groups hold stay as they were.
DO $$
DECLARE
  duplicate record;
  n int;
BEGIN
  FOR duplicate IN
    SELECT id, name FROM (
      SELECT id, name, row_number() OVER (PARTITION BY lower(name) ORDER BY created_at, id) AS place
      FROM groups
    ) AS ranked
    WHERE place > 1
    ORDER BY lower(name), place
  LOOP
    n := 2;
    WHILE EXISTS (SELECT 1 FROM groups WHERE lower(name) = lower(duplicate.name || ' (' || n || ')')) LOOP
      n := n + 1;
    END LOOP;
    UPDATE groups SET name = duplicate.name || ' (' || n || ')' WHERE id = duplicate.id;
  END LOOP;
END $$;

CREATE UNIQUE INDEX "groups_name_lower_key" ON "groups" (lower("name"));
