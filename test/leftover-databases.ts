// Test databases are named after the process that made them (vigil_test_<pid>_…): one whose process is
// gone was left behind by a run that died before its teardown and can be dropped. A database of a run
// still going — another developer's or session's on the same machine — is left alone.
import type postgres from "postgres";

export const databaseName = (prefix: string, suffix = "") => `${prefix}_${process.pid}${suffix ? `_${suffix}` : ""}`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

export async function dropLeftoverDatabases(admin: postgres.Sql, prefixes: string[]): Promise<void> {
  for (const prefix of prefixes) {
    const rows = await admin<
      { datname: string }[]
    >`select datname from pg_database where starts_with(datname, ${`${prefix}_`})`;
    for (const { datname } of rows) {
      const pid = Number(datname.slice(prefix.length + 1).split("_")[0]);
      if (Number.isInteger(pid) && pid > 0 && !alive(pid))
        await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    }
  }
}
